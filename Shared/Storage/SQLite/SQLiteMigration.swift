/// One versioned schema change, applied once in its own transaction and recorded in
/// the `schema_migrations` table.
public struct SQLiteMigration: Sendable {
    /// Strictly increasing version number, from 1.
    public let version: Int
    /// A short description, stored with the version.
    public let name: String
    /// The statements to run (may hold several, separated by semicolons).
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension SQLiteDatabase {
    /// Applies every migration newer than the recorded schema version, in order, each in
    /// its own transaction; returns the versions applied.
    @discardableResult
    public func migrate(_ migrations: [SQLiteMigration]) throws -> [Int] {
        try execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)
            """)
        let current = try query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.integer(0) ?? 0
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > current {
            try transaction {
                try execute(migration.sql)
                try run("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)",
                        migration.version, migration.name, SQLiteDatabase.nowMilliseconds())
            }
            applied.append(migration.version)
        }
        return applied
    }

    /// The highest applied migration version (0 before any).
    public func schemaVersion() throws -> Int {
        try query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").first?.int(0) ?? 0
    }
}
