/// gRPC metadata: ordered, case-insensitive keys (stored lower-case), repeated
/// keys allowed. Keys ending in `-bin` carry binary values (base64 on the wire).
public struct Metadata: Sendable, Hashable, Sequence {
    /// One metadata value.
    public enum Value: Sendable, Hashable {
        /// A printable ASCII value.
        case string(String)
        /// A binary value (keys ending in `-bin`).
        case binary([UInt8])
    }

    /// One key/value pair; `key` is lower-case.
    public struct Entry: Sendable, Hashable {
        /// The lower-case key.
        public let key: String
        /// The value.
        public let value: Value

        /// Creates an entry; `key` must already be lower-case.
        public init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    private var entries: [Entry] = []

    /// Creates empty metadata.
    public init() {}

    /// Creates metadata from string pairs, in order.
    public init(_ pairs: [(key: String, value: String)]) {
        for (key, value) in pairs { addString(value, forKey: key) }
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// Appends a string value (keys are lower-cased).
    public mutating func addString(_ value: String, forKey key: String) {
        entries.append(Entry(key: Self.lowercased(key), value: .string(value)))
    }

    /// Appends a binary value; the key should end in `-bin`.
    public mutating func addBinary(_ value: [UInt8], forKey key: String) {
        entries.append(Entry(key: Self.lowercased(key), value: .binary(value)))
    }

    /// `key` in lower case, without building a new string when it already is (keys
    /// looked up per call, like `authorization`, usually are).
    @inline(__always)
    static func lowercased(_ key: String) -> String {
        key.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? key.lowercased() : key
    }

    /// Appends an entry.
    public mutating func add(_ entry: Entry) {
        entries.append(entry)
    }

    /// Removes every value of `key`.
    public mutating func removeAll(forKey key: String) {
        let key = Self.lowercased(key)
        entries.removeAll { $0.key == key }
    }

    /// The first string value of `key`, if any.
    public func firstString(forKey key: String) -> String? {
        let key = Self.lowercased(key)
        for entry in entries where entry.key == key {
            if case .string(let value) = entry.value { return value }
        }
        return nil
    }

    /// The first binary value of `key`, if any.
    public func firstBinary(forKey key: String) -> [UInt8]? {
        let key = Self.lowercased(key)
        for entry in entries where entry.key == key {
            if case .binary(let value) = entry.value { return value }
        }
        return nil
    }

    /// Every value of `key`, in order.
    public func values(forKey key: String) -> [Value] {
        let key = Self.lowercased(key)
        return entries.filter { $0.key == key }.map(\.value)
    }

    /// Iterates the entries in insertion order.
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}

extension Metadata {
    /// The bearer token of an `authorization: Bearer <token>` entry, if present.
    public var bearerToken: String? {
        guard let header = firstString(forKey: "authorization") else { return nil }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count)).trimmingCharacters(in: " ")
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
