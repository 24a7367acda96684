import CSQLite
import Foundation

/// A SQLite connection with a prepared-statement cache, typed binding, transactions and
/// migrations.
///
/// Opened in WAL mode with `synchronous=FULL`: every commit fsyncs the write-ahead log
/// before returning, so a write that was acknowledged survives `kill -9` and power loss
/// (`NORMAL` would survive a process crash but could lose the last commits on power loss).
/// A connection is not thread-safe by itself: share it between threads only through
/// ``serialized(_:)``, which holds the connection's lock for the whole body.
public final class SQLiteDatabase: @unchecked Sendable {
    /// Options applied when opening.
    public struct Options: Sendable {
        /// How long a writer waits for a lock held by another connection.
        public var busyTimeoutMilliseconds: Int32 = 5000
        /// Opens read-only (for a separate reader connection).
        public var readOnly = false
        /// Creates default options.
        public init() {}
    }

    /// The database file path.
    public let path: String
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var transactionDepth = 0
    private let lock = NSLock()

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        var pointer: OpaquePointer?
        let flags = (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &pointer, flags, nil)
        guard status == SQLITE_OK, let pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let pointer { sqlite3_close_v2(pointer) }
            throw SQLiteError(code: status, message: "\(message): \(path)")
        }
        handle = pointer
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds)
        if !options.readOnly {
            try execute("PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON")
    }

    deinit {
        for statement in statements.values { statement.finalize() }
        sqlite3_close_v2(handle)
    }

    /// Runs `body` holding the connection's lock: the only way to share a connection
    /// between threads.
    public func serialized<Result>(_ body: (SQLiteDatabase) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(self)
    }

    /// Runs one or more statements without parameters or results.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: status, message: message, sql: sql)
        }
    }

    /// Runs one statement with `bindings`; returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ bindings: any SQLiteBindable...) throws -> Int {
        try run(sql, bindings: bindings)
    }

    /// Runs one statement with `bindings`; returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, bindings: [any SQLiteBindable]) throws -> Int {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Runs one query with `bindings` and returns every row.
    public func query(_ sql: String, _ bindings: any SQLiteBindable...) throws -> [SQLiteRow] {
        try query(sql, bindings: bindings)
    }

    /// Runs one query with `bindings` and returns every row.
    public func query(_ sql: String, bindings: [any SQLiteBindable]) throws -> [SQLiteRow] {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(bindings)
        var rows: [SQLiteRow] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE`): committed when it returns,
    /// rolled back when it throws. Nested calls join the outer transaction.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        do {
            let result = try body()
            transactionDepth = 0
            try execute("COMMIT")
            return result
        } catch {
            transactionDepth = 0
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rowid of the last inserted row.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The current Unix time in milliseconds.
    public static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    private var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    private func cachedStatement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        var pointer: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard status == SQLITE_OK, let pointer else {
            throw SQLiteError(code: status, message: lastErrorMessage, sql: sql)
        }
        let statement = SQLiteStatement(handle: pointer, database: handle, sql: sql)
        statements[sql] = statement
        return statement
    }
}
