/// One SQLite value, as bound to a statement parameter or read from a result column.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes.
    case blob([UInt8])
}

/// Values that bind to a statement parameter.
public protocol SQLiteBindable: Sendable {
    /// The SQLite value to bind.
    var sqliteValue: SQLiteValue { get }
}

extension SQLiteValue: SQLiteBindable {
    /// Itself.
    public var sqliteValue: SQLiteValue { self }
}

extension Int: SQLiteBindable {
    /// An integer value.
    public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Int64: SQLiteBindable {
    /// An integer value.
    public var sqliteValue: SQLiteValue { .integer(self) }
}

extension UInt64: SQLiteBindable {
    /// An integer value (values above Int64.max wrap; keep them below).
    public var sqliteValue: SQLiteValue { .integer(Int64(bitPattern: self)) }
}

extension Bool: SQLiteBindable {
    /// 1 or 0.
    public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
}

extension Double: SQLiteBindable {
    /// A real value.
    public var sqliteValue: SQLiteValue { .real(self) }
}

extension String: SQLiteBindable {
    /// A text value.
    public var sqliteValue: SQLiteValue { .text(self) }
}

extension Array: SQLiteBindable where Element == UInt8 {
    /// A blob value.
    public var sqliteValue: SQLiteValue { .blob(self) }
}

extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    /// The wrapped value, or NULL.
    public var sqliteValue: SQLiteValue { self?.sqliteValue ?? .null }
}
