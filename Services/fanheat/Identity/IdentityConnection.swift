import FanHeatContracts
import FanHeatRPC
import FanHeatTransport

/// The identity client for one command, with the caller's key and deadline.
struct IdentityConnection {
    /// The generated client.
    let client: Fanheat_Identity_V1_IdentityServiceClient
    /// Options carrying the bearer key.
    let options: CallOptions

    /// Connects (lazily) to the identity address of `environment`.
    init(_ environment: CommandEnvironment) throws {
        options = try environment.callOptions()
        let channel: HTTP2ClientChannel
        do { channel = try HTTP2ClientChannel(target: environment.identityAddress) } catch {
            throw UsageError("bad identity address \(environment.identityAddress): \(error)")
        }
        client = Fanheat_Identity_V1_IdentityServiceClient(channel: channel)
    }
}
