import FanHeatContracts
import FanHeatRPC
import FanHeatTransport

/// The activity-ingest client for one command, with the caller's key and deadline.
struct IngestConnection {
    /// The generated client.
    let client: Fanheat_Ingest_V1_ActivityIngestClient
    /// Options carrying the bearer key.
    let options: CallOptions

    /// Connects (lazily) to `--ingest-addr`, else FANHEAT_INGEST_ADDR, else 127.0.0.1:7002.
    /// The key is `--api-key`, else FANHEAT_API_KEY (a club key writes), else the admin key
    /// (which may only read: `activity tail`).
    init(_ environment: CommandEnvironment, timeoutSeconds: Int64? = nil) throws {
        let address = environment.arguments.value("ingest-addr") ?? environment.variables["FANHEAT_INGEST_ADDR"] ?? "127.0.0.1:7002"
        var metadata = Metadata()
        metadata.addString("Bearer " + (try Self.key(environment)), forKey: "authorization")
        let seconds = try timeoutSeconds ?? environment.arguments.integer("timeout", default: 10)
        options = CallOptions(timeout: seconds > 0 ? .seconds(seconds) : nil, metadata: metadata)
        let channel: HTTP2ClientChannel
        do { channel = try HTTP2ClientChannel(target: address) } catch {
            throw UsageError("bad ingest address \(address): \(error)")
        }
        client = Fanheat_Ingest_V1_ActivityIngestClient(channel: channel)
    }

    private static func key(_ environment: CommandEnvironment) throws -> String {
        if let key = environment.arguments.value("api-key"), !key.isEmpty { return key }
        if let key = environment.variables["FANHEAT_API_KEY"], !key.isEmpty { return key }
        return try environment.bearerKey()
    }
}
