/// Map-field helpers for generated code: entries are encoded in key order, so that equal
/// maps always encode to the same bytes.
public enum ProtobufMap {
    /// Maps up to this size are sorted on the stack (insertion sort); larger ones with `sorted`.
    @usableFromInline static let smallMapLimit = 8

    /// Calls `body` with every entry of `map`, in key order. A small map is sorted in a
    /// temporary (stack) buffer, so encoding it allocates nothing.
    @inlinable
    public static func forEachOrdered<Key: Comparable, Value>(_ map: [Key: Value], _ body: (Key, Value) -> Void) {
        let count = map.count
        if count == 0 { return }
        if count == 1 {
            for (key, value) in map { body(key, value) }
            return
        }
        if count > smallMapLimit {
            for (key, value) in ordered(map) { body(key, value) }
            return
        }
        withUnsafeTemporaryAllocation(of: (key: Key, value: Value).self, capacity: count) { buffer in
            guard let base = buffer.baseAddress else { return }
            var sortedCount = 0
            for entry in map {
                var slot = sortedCount
                while slot > 0 && entry.key < base[slot - 1].key { slot -= 1 }
                (base + slot + 1).moveInitialize(from: base + slot, count: sortedCount - slot)
                (base + slot).initialize(to: entry)
                sortedCount += 1
            }
            for index in 0..<sortedCount { body(base[index].key, base[index].value) }
            base.deinitialize(count: sortedCount)
        }
    }

    /// Calls `body` with the entries of a `bool`-keyed map, `false` first.
    @inlinable
    public static func forEachOrdered<Value>(_ map: [Bool: Value], _ body: (Bool, Value) -> Void) {
        if let value = map[false] { body(false, value) }
        if let value = map[true] { body(true, value) }
    }

    /// The entries of `map` sorted by key, so that encoding is deterministic.
    @inlinable
    public static func ordered<Key: Comparable, Value>(_ map: [Key: Value]) -> [(key: Key, value: Value)] {
        if map.count == 1 { return Array(map) }
        return map.sorted { $0.key < $1.key }
    }

    /// The entries of a `bool`-keyed map, `false` first.
    @inlinable
    public static func ordered<Value>(_ map: [Bool: Value]) -> [(key: Bool, value: Value)] {
        map.sorted { !$0.key && $1.key }
    }
}
