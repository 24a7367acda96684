/// A failed SQLite call: the result code, SQLite's message and the statement involved.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The (extended) SQLite result code.
    public let code: Int32
    /// sqlite3_errmsg at the time of the failure.
    public let message: String
    /// The SQL text, when a statement was involved.
    public let sql: String?

    /// Creates an error.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// Whether the failure is a UNIQUE / PRIMARY KEY constraint violation.
    public var isConstraintViolation: Bool { code & 0xff == 19 }

    /// `SQLite error CODE: message (in SQL)`.
    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in \(sql))" }
        return text
    }
}
