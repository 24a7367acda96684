import FanHeatStorage

/// A set of 128-bit fingerprints for the membership cache: open addressing with linear
/// probing on the fingerprint's own first 64 bits (already uniformly spread, so no second
/// hash), deletion by backward shift (no tombstones), at most 3/4 full.
///
/// Replaces `Set<KeyFingerprint>`, whose SipHash of both words was ~3% of the server's
/// CPU at batch 100 (one lookup per activity).
public struct FingerprintSet: Sendable {
    /// Slots; (0, 0) marks an empty one. A fingerprint whose first word is 0 is stored
    /// with first word 1 (two fingerprints then differ only if their second words do).
    private var slots: [KeyFingerprint]
    /// The number of fingerprints held.
    public private(set) var count = 0

    /// An empty set.
    public init() {
        slots = Array(repeating: KeyFingerprint(high: 0, low: 0), count: 16)
    }

    @inline(__always)
    private static func stored(_ key: KeyFingerprint) -> KeyFingerprint {
        key.high == 0 ? KeyFingerprint(high: 1, low: key.low) : key
    }

    /// Whether `key` is in the set.
    public func contains(_ key: KeyFingerprint) -> Bool {
        let wanted = Self.stored(key)
        return slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            var index = Int(truncatingIfNeeded: wanted.high) & mask
            while true {
                let slot = table[index]
                if slot.high == 0 { return false }
                if slot == wanted { return true }
                index = (index + 1) & mask
            }
        }
    }

    /// Loads the slot where a lookup of `key` starts and returns a value derived from it,
    /// so that a batch of lookups can have their cache misses in flight together (call it
    /// for every key in a short loop, then look them up).
    @inline(__always)
    public func warm(_ key: KeyFingerprint) -> UInt64 {
        let wanted = Self.stored(key)
        return slots.withUnsafeBufferPointer { table in table[Int(truncatingIfNeeded: wanted.high) & (table.count - 1)].high }
    }

    /// Adds `key`; returns false if it was already present.
    @discardableResult
    public mutating func insert(_ key: KeyFingerprint) -> Bool {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let wanted = Self.stored(key)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: wanted.high) & mask
        while true {
            let slot = slots[index]
            if slot.high == 0 {
                slots[index] = wanted
                count += 1
                return true
            }
            if slot == wanted { return false }
            index = (index + 1) & mask
        }
    }

    /// Removes `key`; returns false if it was absent.
    @discardableResult
    public mutating func remove(_ key: KeyFingerprint) -> Bool {
        let wanted = Self.stored(key)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: wanted.high) & mask
        while true {
            let slot = slots[index]
            if slot.high == 0 { return false }
            if slot == wanted { break }
            index = (index + 1) & mask
        }
        // Backward shift: move later entries of the probe run into the hole when their
        // home slot is not between the hole and their position.
        var hole = index
        var next = (hole + 1) & mask
        while slots[next].high != 0 {
            let home = Int(truncatingIfNeeded: slots[next].high) & mask
            let distanceToNext = (next - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole <= distanceToNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = KeyFingerprint(high: 0, low: 0)
        count -= 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: KeyFingerprint(high: 0, low: 0), count: old.count * 2)
        count = 0
        for slot in old where slot.high != 0 { insert(slot) }
    }
}
