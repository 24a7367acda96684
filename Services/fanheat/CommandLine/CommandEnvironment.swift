import FanHeatRPC
import Foundation

/// Where commands connect and with which key, from flags and the environment.
struct CommandEnvironment: Sendable {
    /// Environment variables.
    let variables: [String: String]
    /// The parsed command line.
    let arguments: ParsedArguments

    /// `--identity-addr`, else FANHEAT_IDENTITY_ADDR, else 127.0.0.1:7001.
    var identityAddress: String {
        arguments.value("identity-addr") ?? variables["FANHEAT_IDENTITY_ADDR"] ?? "127.0.0.1:7001"
    }

    /// The bearer key: `--api-key`, else the admin key (`--admin-key-file`, FANHEAT_ADMIN_KEY),
    /// else FANHEAT_API_KEY.
    func bearerKey() throws -> String {
        if let key = arguments.value("api-key"), !key.isEmpty { return key }
        if let path = arguments.value("admin-key-file") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw UsageError("cannot read --admin-key-file \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let key = variables["FANHEAT_ADMIN_KEY"], !key.isEmpty { return key }
        if let key = variables["FANHEAT_API_KEY"], !key.isEmpty { return key }
        throw UsageError("no key: pass --api-key, set FANHEAT_ADMIN_KEY or FANHEAT_API_KEY")
    }

    /// Call options carrying `authorization: Bearer <key>` and a deadline.
    func callOptions() throws -> CallOptions {
        var metadata = Metadata()
        metadata.addString("Bearer " + (try bearerKey()), forKey: "authorization")
        let seconds = try arguments.integer("timeout", default: 10)
        return CallOptions(timeout: .seconds(seconds), metadata: metadata)
    }
}
