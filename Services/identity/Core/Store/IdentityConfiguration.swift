import FanHeatStorage

/// Settings of an ``IdentityStore``.
public struct IdentityConfiguration: Sendable {
    /// The SQLite file path (`<data-dir>/identity.sqlite3`).
    public var databasePath: String
    /// The operator's admin key; nil disables admin access.
    public var adminKey: String?
    /// Rejoin grace period for clubs that set none (default 90 days).
    public var defaultRejoinGraceSeconds: Int64 = 90 * 86_400
    /// Member token lifetime when the request gives none (default 1 hour).
    public var defaultTokenTTLSeconds: Int64 = 3_600
    /// Longest member token lifetime (30 days).
    public var maximumTokenTTLSeconds: Int64 = 30 * 86_400
    /// The clock (Unix ms); replaceable in tests.
    public var now: @Sendable () -> Int64 = { SQLiteDatabase.nowMilliseconds() }

    /// Creates a configuration.
    public init(databasePath: String, adminKey: String?) {
        self.databasePath = databasePath
        self.adminKey = adminKey
    }
}
