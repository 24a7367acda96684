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

    let configuration: IdentityConfiguration
    let database: SQLiteDatabase
    let adminKeyDigest: [UInt8]?
    let keyCache = Mutex<[String: CachedApiKey]>([:])
    /// Wakes feed watchers when new revisions commit.
    public let notifier: RevisionNotifier

    /// A verified API key kept in memory; removed at once on revocation.
    struct CachedApiKey: Sendable {
        let clubID: String
        let digest: [UInt8]
    }

    /// Opens (creating and migrating) the database.
    public init(configuration: IdentityConfiguration) throws {
        self.configuration = configuration
        let database = try SQLiteDatabase(path: configuration.databasePath)
        try database.migrate(IdentitySchema.migrations)
        let head = try database.query("SELECT COALESCE(MAX(revision), 0) FROM membership_changes").first?.integer(0) ?? 0
        self.database = database
        self.adminKeyDigest = configuration.adminKey.map { Digest.sha256($0) }
        self.notifier = RevisionNotifier(latest: head)
    }

    /// The current time (Unix ms).
    var now: Int64 { configuration.now() }

    /// Runs `body` under the connection lock, translating storage failures into statuses.
    func read<Result>(_ body: (SQLiteDatabase) throws -> Result) throws -> Result {
        do {
            return try database.serialized { database in try body(database) }
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
