import Dispatch
import FanHeatCrypto
import FanHeatRPC
import FanHeatStorage
import Synchronization

/// The identity domain: clubs, API keys, members and memberships, member tokens and the
/// membership feed, persisted in SQLite. Every change runs in one transaction; every method
/// takes the authenticated ``Caller`` and scopes its reads and writes to the caller's club.
public final class IdentityStore: Sendable {
    /// Prefix of club API key secrets.
    public static let apiKeyPrefix = "fh_live_"
    /// Prefix of member tokens.
    public static let memberTokenPrefix = "fhm_"

    /// The settings.
    let configuration: IdentityConfiguration
    /// The connection every write transaction uses (through `serialized`).
    let database: SQLiteDatabase
    /// A second connection for reads: in WAL mode reads never wait for a write's fsync.
    let reader: SQLiteDatabase
    /// The thread write transactions (and their fsyncs) run on, off the concurrency pool.
    let writerQueue = DispatchQueue(label: "fanheat.identity.sqlite-writer")
    /// SHA-256 of the admin key, compared in constant time.
    let adminKeyDigest: [UInt8]?
    /// Verified API keys by key id, and a count of revocations so that a verification
    /// racing with a revocation never caches the revoked key.
    let keyCache = Mutex<ApiKeyCache>(ApiKeyCache())
    /// Wakes feed watchers when new revisions commit.
    public let notifier: RevisionNotifier

    /// A verified API key kept in memory; removed at once on revocation.
    struct CachedApiKey: Sendable {
        /// The key's club.
        let clubID: String
        /// SHA-256 of the secret.
        let digest: [UInt8]
    }

    /// The API key cache.
    struct ApiKeyCache: Sendable {
        /// Verified keys by key id.
        var entries: [String: CachedApiKey] = [:]
        /// Revocations so far.
        var revocations = 0
    }

    /// Opens (creating and migrating) the database.
    public init(configuration: IdentityConfiguration) throws {
        self.configuration = configuration
        let database = try SQLiteDatabase(path: configuration.databasePath)
        try database.migrate(IdentitySchema.migrations)
        let head = try database.query("SELECT COALESCE(MAX(revision), 0) FROM membership_changes").first?.integer(0) ?? 0
        let reader = try SQLiteDatabase(path: configuration.databasePath)
        try reader.execute("PRAGMA query_only=ON")
        self.database = database
        self.reader = reader
        self.adminKeyDigest = configuration.adminKey.map { Digest.sha256($0) }
        self.notifier = RevisionNotifier(latest: head)
    }

    /// The current time (Unix ms).
    var now: Int64 { configuration.now() }

    /// Runs `body` on the reader connection, translating storage failures into statuses.
    func read<Result>(_ body: (SQLiteDatabase) throws -> Result) throws -> Result {
        do {
            return try reader.serialized { database in try body(database) }
        } catch let error as SQLiteError {
            throw Self.storageFailure(error)
        }
    }

    /// Runs `body` in one transaction; committed (fsynced) before this returns.
    func write<Result>(_ body: (SQLiteDatabase) throws -> Result) throws -> Result {
        do {
            return try database.serialized { database in try database.transaction { try body(database) } }
        } catch let error as SQLiteError {
            throw Self.storageFailure(error)
        }
    }

    /// INTERNAL (or UNAVAILABLE when busy) for a storage failure.
    /// Runs `body` (a store call) on the writer thread, so that a transaction waiting for
    /// its fsync never blocks a thread of the Swift concurrency pool.
    public func onWriterThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            writerQueue.async { continuation.resume(with: Swift.Result { try body() }) }
        }
    }

    static func storageFailure(_ error: SQLiteError) -> RPCError {
        let busy = error.code & 0xff == 5 || error.code & 0xff == 6
        return RPCError(code: busy ? .unavailable : .internal, message: "storage failure: \(error.message)")
    }

    /// NOT_FOUND for a club.
    static func clubNotFound(_ clubID: String) -> RPCError {
        RPCError(code: .notFound, message: "club \"\(clubID)\" not found")
    }

    /// NOT_FOUND for a member.
    static func memberNotFound(_ clubID: String, _ memberID: String) -> RPCError {
        RPCError(code: .notFound, message: "member \"\(memberID)\" not found in club \"\(clubID)\"")
    }
}
