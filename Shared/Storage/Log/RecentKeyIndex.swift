/// Remembers which keys were seen within a sliding window, in 16 bytes per slot: an
/// open-addressing, linear-probing table of 112-bit key fingerprints each stamped with
/// the coarse time (an hour number, 16 bits) it was recorded.
///
/// Memory: 16 bytes per slot; the table grows by doubling when more than 3/4 of its slots
/// are used and drops expired entries when it rehashes, so each remembered key costs
/// 21–43 bytes. Collisions: two different keys whose 112-bit fingerprints agree are
/// treated as the same key, so the later one is reported as already seen; over n
/// remembered keys the chance of any such collision is about n²/2¹¹³ (below 10⁻¹⁸ for
/// n = 100 million). Stamps are hour numbers modulo 2¹⁶; the window must stay below
/// 2¹⁵ hours (about 3.7 years).
///
/// Not thread-safe: the owner serializes access.
public struct RecentKeyIndex: ~Copyable {
    private var slots: UnsafeMutablePointer<(UInt64, UInt64)>
    private var capacity: Int
    private var used = 0
    private var warmed: UInt64 = 0
    /// The number of live (unexpired, as of the last rehash) and expired entries held.
    public var count: Int { used }
    /// How long a key is remembered, in hours (rounded up from the configured window).
    public let windowHours: Int
    /// The bytes of memory the slot array occupies.
    public var memoryBytes: Int { capacity * 16 }

    private static let stampShift: UInt64 = 48
    private static let fingerprintMask: UInt64 = (1 << 48) - 1

    /// Creates an empty index remembering keys for `windowSeconds` (rounded up to hours).
    public init(windowSeconds: Int64, initialCapacity: Int = 1 << 16) {
        windowHours = Int(max(1, (windowSeconds + 3599) / 3600))
        precondition(windowHours < 1 << 15, "the idempotency window must be below 2^15 hours")
        var size = 1024
        while size < initialCapacity { size <<= 1 }
        capacity = size
        slots = .allocate(capacity: size)
        slots.initialize(repeating: (0, 0), count: size)
    }

    deinit { slots.deallocate() }

    /// The hour number (stamp) of a Unix time in milliseconds.
    public static func stamp(forMilliseconds milliseconds: Int64) -> UInt16 {
        UInt16(truncatingIfNeeded: milliseconds / 3_600_000)
    }

    /// Loads the first slot `key` probes, so that a batch of keys can have their cache
    /// misses in flight together before they are inserted one by one.
    @inline(__always)
    public mutating func prefetch(_ key: KeyFingerprint) {
        let high = key.high == 0 ? 1 : key.high
        warmed &+= slots[Int(truncatingIfNeeded: high) & (capacity - 1)].0
    }

    /// Records `key` seen at `stamp` unless it is already remembered and unexpired as of
    /// `now`; returns true when the key is new (was recorded), false for a duplicate.
    public mutating func insert(_ key: KeyFingerprint, stamp: UInt16, now: UInt16) -> Bool {
        if (used + 1) * 4 > capacity * 3 { rehash(now: now) }
        let high = key.high == 0 ? 1 : key.high
        let low = key.low & Self.fingerprintMask
        let stored = low | (UInt64(stamp) << Self.stampShift)
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: high) & mask
        var reusable = -1
        while true {
            let slot = slots[index]
            if slot.0 == 0 {
                if reusable >= 0 {
                    slots[reusable] = (high, stored)
                } else {
                    slots[index] = (high, stored)
                    used += 1
                }
                return true
            }
            let expired = isExpired(slot.1, now: now)
            if slot.0 == high && (slot.1 & Self.fingerprintMask) == low {
                if !expired { return false }
                slots[index] = (high, stored)
                return true
            }
            if expired && reusable < 0 { reusable = index }
            index = (index + 1) & mask
        }
    }

    /// Whether `key` is remembered and unexpired as of `now`.
    public func contains(_ key: KeyFingerprint, now: UInt16) -> Bool {
        let high = key.high == 0 ? 1 : key.high
        let low = key.low & Self.fingerprintMask
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: high) & mask
        while true {
            let slot = slots[index]
            if slot.0 == 0 { return false }
            if slot.0 == high && (slot.1 & Self.fingerprintMask) == low { return !isExpired(slot.1, now: now) }
            index = (index + 1) & mask
        }
    }

    @inline(__always)
    private func isExpired(_ stored: UInt64, now: UInt16) -> Bool {
        let stamp = UInt16(truncatingIfNeeded: stored >> Self.stampShift)
        return Int(now &- stamp) > windowHours
    }

    /// Rebuilds the table without expired entries, doubling it if still over half full.
    private mutating func rehash(now: UInt16) {
        var live = 0
        for index in 0..<capacity where slots[index].0 != 0 && !isExpired(slots[index].1, now: now) { live += 1 }
        var newCapacity = capacity
        while (live + 1) * 2 > newCapacity { newCapacity <<= 1 }
        let old = slots
        let oldCapacity = capacity
        slots = .allocate(capacity: newCapacity)
        slots.initialize(repeating: (0, 0), count: newCapacity)
        capacity = newCapacity
        used = 0
        let mask = newCapacity - 1
        for index in 0..<oldCapacity {
            let slot = old[index]
            guard slot.0 != 0, !isExpired(slot.1, now: now) else { continue }
            var target = Int(truncatingIfNeeded: slot.0) & mask
            while slots[target].0 != 0 { target = (target + 1) & mask }
            slots[target] = slot
            used += 1
        }
        old.deallocate()
    }
}
