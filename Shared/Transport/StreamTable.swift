/// The open streams of a connection by HTTP/2 stream id: an open-addressing hash table
/// with linear probing and tombstones. Client stream ids are odd and increasing, so
/// `id >> 1` spreads them without a hash function (Swift's Dictionary spent ~1000
/// instructions per call hashing Int32 keys with SipHash), and a closed stream's slot is
/// reused when the ids wrap around the table. Loop thread only.
struct StreamTable<Value: AnyObject> {
    private static var empty: Int32 { 0 }
    private static var deleted: Int32 { -1 }
    private var ids: [Int32]
    private var values: [Value?]
    private var mask: Int
    private var tombstones = 0
    /// The number of streams in the table.
    private(set) var count = 0

    /// Creates an empty table.
    init() {
        ids = Array(repeating: Self.empty, count: 64)
        values = Array(repeating: nil, count: 64)
        mask = 63
    }

    /// Whether the table is empty.
    var isEmpty: Bool { count == 0 }

    /// Every stream, in no particular order.
    var allValues: [Value] { values.compactMap { $0 } }

    @inline(__always)
    private func home(_ id: Int32) -> Int { Int(UInt32(bitPattern: id) >> 1) & mask }

    private func slot(of id: Int32) -> Int? {
        var index = home(id)
        while true {
            let stored = ids[index]
            if stored == id { return index }
            if stored == Self.empty { return nil }
            index = (index + 1) & mask
        }
    }

    /// The stream `id` (ids are positive), if present.
    subscript(id: Int32) -> Value? {
        guard let index = slot(of: id) else { return nil }
        return values[index]
    }

    /// Adds or replaces stream `id` (positive).
    mutating func insert(_ value: Value, for id: Int32) {
        if let existing = slot(of: id) {
            values[existing] = value
            return
        }
        if (count + tombstones + 1) * 4 > ids.count * 3 { rebuild() }
        var index = home(id)
        while ids[index] != Self.empty && ids[index] != Self.deleted { index = (index + 1) & mask }
        if ids[index] == Self.deleted { tombstones -= 1 }
        ids[index] = id
        values[index] = value
        count += 1
    }

    /// Removes and returns stream `id`.
    mutating func remove(_ id: Int32) -> Value? {
        guard var index = slot(of: id) else { return nil }
        let removed = values[index]
        values[index] = nil
        count -= 1
        if ids[(index + 1) & mask] == Self.empty {
            // the end of a probe run: clear it and the tombstones just before it
            ids[index] = Self.empty
            index = (index - 1) & mask
            while ids[index] == Self.deleted {
                ids[index] = Self.empty
                tombstones -= 1
                index = (index - 1) & mask
            }
        } else {
            ids[index] = Self.deleted
            tombstones += 1
        }
        return removed
    }

    /// Removes every stream.
    mutating func removeAll() {
        self = StreamTable()
    }

    /// Rehashes without tombstones, doubling the size when more than half full.
    private mutating func rebuild() {
        let oldIDs = ids
        let oldValues = values
        let size = (count + 1) * 2 > oldIDs.count ? oldIDs.count * 2 : oldIDs.count
        ids = Array(repeating: Self.empty, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        count = 0
        tombstones = 0
        for (index, id) in oldIDs.enumerated() where id != Self.empty && id != Self.deleted {
            insert(oldValues[index]!, for: id)
        }
    }
}
