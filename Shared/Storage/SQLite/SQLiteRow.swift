/// One result row, with typed accessors by column index.
public struct SQLiteRow: Sendable, Hashable {
    /// The column values in select order.
    public let values: [SQLiteValue]

    /// Creates a row.
    public init(values: [SQLiteValue]) { self.values = values }

    /// The value of column `index`.
    public subscript(index: Int) -> SQLiteValue { values[index] }

    /// Column `index` as an integer (NULL and non-integers read as 0).
    public func integer(_ index: Int) -> Int64 {
        switch values[index] {
        case .integer(let value): value
        case .real(let value): Int64(value)
        default: 0
        }
    }

    /// Column `index` as an Int.
    public func int(_ index: Int) -> Int { Int(integer(index)) }

    /// Column `index` as text (NULL reads as the empty string).
    public func text(_ index: Int) -> String {
        switch values[index] {
        case .text(let value): value
        case .integer(let value): String(value)
        default: ""
        }
    }

    /// Column `index` as text, or nil when NULL.
    public func optionalText(_ index: Int) -> String? {
        if case .null = values[index] { return nil }
        return text(index)
    }

    /// Column `index` as bytes (NULL reads as empty).
    public func blob(_ index: Int) -> [UInt8] {
        switch values[index] {
        case .blob(let value): value
        case .text(let value): Array(value.utf8)
        default: []
        }
    }

    /// Whether column `index` is NULL.
    public func isNull(_ index: Int) -> Bool {
        if case .null = values[index] { return true }
        return false
    }
}
