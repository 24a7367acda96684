import FanHeatRuntime
import Foundation
import IdentityCore

/// The identity service's settings from flags and environment.
struct IdentitySettings {
    /// Shortest accepted admin key.
    static let minimumAdminKeyLength = 16

    /// The store configuration.
    var storeConfiguration: IdentityConfiguration
    /// The admin key, if configured (never logged).
    var adminKey: String? { storeConfiguration.adminKey }

    /// Reads `--data-dir` (required), the admin key (`--admin-key-file`, else
    /// FANHEAT_ADMIN_KEY), the grace period and the default token lifetime.
    init(configuration: HostConfiguration, environment: [String: String]) throws {
        guard let directory = configuration.dataDirectory else {
            throw SettingsError("--data-dir (or FANHEAT_DATA_DIR) is required: the SQLite database lives there")
        }
        var adminKey: String?
        if let path = configuration.value("admin-key-file") {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SettingsError("--admin-key-file \(path) cannot be read")
            }
            adminKey = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let key = environment["FANHEAT_ADMIN_KEY"], !key.isEmpty {
            adminKey = key
        }
        if let adminKey, adminKey.count < Self.minimumAdminKeyLength {
            throw SettingsError("the admin key is shorter than \(Self.minimumAdminKeyLength) characters")
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent("identity.sqlite3").path
        storeConfiguration = IdentityConfiguration(databasePath: path, adminKey: adminKey)
        storeConfiguration.defaultRejoinGraceSeconds = try Self.seconds(configuration, "rejoin-grace-seconds", minimum: 0)
        storeConfiguration.defaultTokenTTLSeconds = try Self.seconds(configuration, "token-ttl-seconds", minimum: 1)
    }

    private static func seconds(_ configuration: HostConfiguration, _ name: String, minimum: Int64) throws -> Int64 {
        let text = configuration.value(name) ?? ""
        guard let value = Int64(text), value >= minimum, value <= 315_360_000 else {
            throw SettingsError("--\(name) \(text) is not a number of seconds between \(minimum) and 315360000")
        }
        return value
    }
}

/// A configuration problem (exit code 2).
struct SettingsError: Error, CustomStringConvertible {
    /// What is wrong.
    let description: String
    /// Creates an error.
    init(_ description: String) { self.description = description }
}
