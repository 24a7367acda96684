/// Map-field helpers for generated code.
public enum ProtobufMap {
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
