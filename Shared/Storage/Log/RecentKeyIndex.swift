#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCRC32C

/// Remembers which keys were seen within a sliding window, in 16 bytes per slot: an
/// open-addressing, linear-probing table of 112-bit key fingerprints each stamped with
/// the coarse time (an hour number, 16 bits) it was recorded.
///
/// Memory: 16 bytes per slot; the table is resized when more than 3/4 of its slots are
/// used (up to 7/8 while its successor is still being prepared), to at least twice the
/// live (unexpired) entries, so each remembered key costs 18–43 bytes (32 on average over a
/// growth cycle; up to three times that briefly, from half full until a resize is done,
/// while the next table is prepared and then the old and the new table coexist).
/// Resizing is incremental: at half full the live share is estimated from 4096 evenly
/// spaced slots, sampled 64 per insert, which sizes the next table (at least twice the
/// live entries); a background thread maps it and faults its pages in (``SlotTableAllocator``); from 3/4 full the
/// resize begins as soon as that table is ready (at 7/8 full it takes a lazily faulted one
/// rather than wait), and every later insert moves 64 slots of the old table, dropping
/// expired entries, while lookups consult both tables — the old one only for keys whose
/// probe run the migration has not yet passed. No insert ever waits for a whole-table
/// pass or for a table's page faults, which on millions of keys would stall ingest for a
/// noticeable fraction of a second.
///
/// Collisions: two different keys whose 112-bit fingerprints agree are treated as the
/// same key, so the later one is reported as already seen; over n remembered keys the
/// chance of any such collision is about n²/2¹¹³ (below 10⁻¹⁸ for n = 100 million).
/// Stamps are hour numbers modulo 2¹⁶; the window must stay below 2¹⁵ hours (about 3.7
/// years).
///
/// Not thread-safe: the owner serializes access.
public struct RecentKeyIndex: ~Copyable {
    private var slots: UnsafeMutablePointer<(UInt64, UInt64)>
    private var capacity: Int
    private var used = 0
    /// The table being migrated into `slots` (nil when no resize is in progress).
    private var old: UnsafeMutablePointer<(UInt64, UInt64)>?
    private var oldCapacity = 0
    private var migrated = 0
    private var oldPending = 0
    /// The last empty old-table slot the migration passed (-1 before the first): a key
    /// whose home slot is at or before it had its whole probe run moved already, so
    /// looking it up needs no visit to the old table.
    private var oldSettled = -1
    /// Old-table slots moved per insert while a resize is in progress.
    private static let migrationStep = 64
    /// The next slot to count while a resize is being prepared (-1 when none is).
    private var counted = -1
    private var sampledUsed = 0
    private var sampledLive = 0
    /// Slots sampled per insert while a resize is being prepared.
    private static let countStep = 64
    /// Slots sampled, evenly spaced, to estimate the live share (every slot of a smaller
    /// table).
    private static let sampleCount = 4096
    /// Prepares the next table in the background once this one is half full.
    private let tables: SlotTableAllocator
    /// The size of the next table, once the live entries were counted (nil before).
    private var plannedCapacity: Int?

    /// The number of entries held: live ones and expired ones not yet dropped by a resize.
    public var count: Int { used + oldPending }
    /// How long a key is remembered, in hours (rounded up from the configured window).
    public let windowHours: Int
    /// The bytes of memory the slot arrays occupy.
    public var memoryBytes: Int { (capacity + oldCapacity) * 16 + tables.preparedBytes }

    private static let stampShift: UInt64 = 48
    private static let fingerprintMask: UInt64 = (1 << 48) - 1

    /// Creates an empty index remembering keys for `windowSeconds` (rounded up to hours).
    public init(windowSeconds: Int64, initialCapacity: Int = 1 << 16) {
        self.init(windowSeconds: windowSeconds, initialCapacity: initialCapacity, tables: SlotTableAllocator())
    }

    /// Creates an empty index whose next tables come from `tables` (for tests that hold a
    /// preparation back).
    init(windowSeconds: Int64, initialCapacity: Int, tables: SlotTableAllocator) {
        self.tables = tables
        windowHours = Int(max(1, (windowSeconds + 3599) / 3600))
        precondition(windowHours < 1 << 15, "the idempotency window must be below 2^15 hours")
        var size = 1024
        while size < initialCapacity { size <<= 1 }
        capacity = size
        slots = SlotTableAllocator.map(capacity: size, populate: true).slots
    }

    deinit {
        SlotTableAllocator.unmap(.init(slots: slots, capacity: capacity))
        if let old { SlotTableAllocator.unmap(.init(slots: old, capacity: oldCapacity)) }
        tables.close()
    }

    /// Whether the next table is prepared and waiting for the resize (for tests).
    var nextTableIsPrepared: Bool { tables.hasPreparedTable }

    /// Whether a resize is in progress: entries are still being moved out of the old table
    /// (for tests).
    var isResizing: Bool { old != nil }

    /// The hour number (stamp) of a Unix time in milliseconds.
    public static func stamp(forMilliseconds milliseconds: Int64) -> UInt16 {
        UInt16(truncatingIfNeeded: milliseconds / 3_600_000)
    }

    /// Starts loading the first slot `key` probes — and the next cache line when that slot is in the
    /// second half of its line (four 16-byte slots per line), where a probe run soon
    /// crosses into it — plus the old table's slot while a resize still needs it there, so
    /// that a batch of keys can have their cache misses in flight together before they
    /// are inserted one by one.
    @inline(__always)
    public func prefetch(_ key: KeyFingerprint) {
        let high = key.high == 0 ? 1 : key.high
        let first = Int(truncatingIfNeeded: high) & (capacity - 1)
        fanheat_prefetch(slots + first)
        if first & 3 >= 2 { fanheat_prefetch(slots + ((first + 2) & (capacity - 1))) }
        if let old {
            let home = Int(truncatingIfNeeded: high) & (oldCapacity - 1)
            if home > oldSettled { fanheat_prefetch(old + home) }
        }
    }

    /// Records `key` seen at `stamp` unless it is already remembered and unexpired as of
    /// `now`; returns true when the key is new (was recorded), false for a duplicate.
    public mutating func insert(_ key: KeyFingerprint, stamp: UInt16, now: UInt16) -> Bool {
        if old != nil {
            migrate(now: now)
        } else if counted >= 0 {
            countLive(now: now)
        } else if let planned = plannedCapacity {
            // Due at 3/4 full, but only into a prepared table while there is room to wait
            // for one: a lazily faulted table costs every insert page faults (two per page:
            // the zero page, then copy on write) and TLB-flush interrupts for seconds.
            if (used + 1) * 4 > capacity * 3 && (tables.hasPreparedTable || (used + 1) * 8 > capacity * 7) {
                beginResize(capacity: planned)
            }
        } else if (used + 1) * 2 > capacity {
            counted = 0
            sampledUsed = 0
            sampledLive = 0
            countLive(now: now)
        }
        let high = key.high == 0 ? 1 : key.high
        let low = key.low & Self.fingerprintMask
        if let old, Int(truncatingIfNeeded: high) & (oldCapacity - 1) > oldSettled,
           Self.find(high, low, in: old, capacity: oldCapacity).map({ !isExpired($0, now: now) }) == true {
            return false
        }
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
        if let stored = Self.find(high, low, in: slots, capacity: capacity), !isExpired(stored, now: now) { return true }
        if let old, Int(truncatingIfNeeded: high) & (oldCapacity - 1) > oldSettled,
           let stored = Self.find(high, low, in: old, capacity: oldCapacity) {
            return !isExpired(stored, now: now)
        }
        return false
    }

    /// The stored low word of the first slot holding (high, low) in a table, if any.
    private static func find(_ high: UInt64, _ low: UInt64, in table: UnsafeMutablePointer<(UInt64, UInt64)>, capacity: Int) -> UInt64? {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: high) & mask
        while true {
            let slot = table[index]
            if slot.0 == 0 { return nil }
            if slot.0 == high && (slot.1 & fingerprintMask) == low { return slot.1 }
            index = (index + 1) & mask
        }
    }

    @inline(__always)
    private func isExpired(_ stored: UInt64, now: UInt16) -> Bool {
        let stamp = UInt16(truncatingIfNeeded: stored >> Self.stampShift)
        return Int(now &- stamp) > windowHours
    }

    /// Samples the next evenly spaced slots for an upcoming resize (all remaining ones at
    /// once if the table is 3/4 full); once the sample is complete, estimates the live
    /// entries, plans the next table's size and has it prepared in the background.
    ///
    /// Why a sample and not a count: counting meant reading the whole table (16 bytes a
    /// slot) once per resize, ~2% of the ingest pipeline's CPU; 4096 slots estimate the
    /// live share within about 1% (one standard error), well inside the margin below.
    private mutating func countLive(now: UInt16) {
        let samples = min(capacity, Self.sampleCount)
        let stride = capacity / samples
        let end = (used + 1) * 4 > capacity * 3 ? samples : min(samples, counted + Self.countStep)
        while counted < end {
            let slot = slots[counted * stride]
            if slot.0 != 0 {
                sampledUsed += 1
                if !isExpired(slot.1, now: now) { sampledLive += 1 }
            }
            counted += 1
        }
        guard counted == samples else { return }
        counted = -1
        let liveShare = sampledUsed == 0 ? 1.0 : Double(sampledLive) / Double(sampledUsed)
        // Up to capacity/4 more keys arrive before the resize begins at 3/4 full (3/8 if it
        // waits until 7/8), while some of the live ones expire meanwhile: allowing
        // capacity/8 sizes the table for a growing set (half full → twice the size)
        // without doubling it for a steady one; a table that turns out small just resizes
        // again sooner.
        let live = Int((Double(used) * liveShare).rounded(.up)) + capacity / 8
        var newCapacity = capacity
        while (live + 1) * 2 > newCapacity { newCapacity <<= 1 }
        plannedCapacity = newCapacity
        tables.prepare(capacity: newCapacity)
    }

    /// Starts a resize into a table of `newCapacity` slots (the prepared one if it is
    /// ready) and makes the current table the old one.
    private mutating func beginResize(capacity newCapacity: Int) {
        plannedCapacity = nil
        old = slots
        oldCapacity = capacity
        oldPending = used
        migrated = 0
        oldSettled = -1
        let table = tables.take(capacity: newCapacity)
        slots = table.slots
        capacity = table.capacity
        used = 0
    }

    /// Moves the next slots of the old table into the current one, dropping expired
    /// entries; frees the old table when it is done.
    private mutating func migrate(now: UInt16) {
        guard let old else { return }
        let end = min(oldCapacity, migrated + Self.migrationStep)
        let mask = capacity - 1
        // Each moved entry lands in a random line of the new table: start those misses
        // together before the moves wait on them one by one.
        for position in migrated..<end where old[position].0 != 0 {
            fanheat_prefetch(slots + (Int(truncatingIfNeeded: old[position].0) & mask))
        }
        while migrated < end {
            let slot = old[migrated]
            guard slot.0 != 0 else {
                oldSettled = migrated
                migrated += 1
                continue
            }
            migrated += 1
            oldPending -= 1
            guard !isExpired(slot.1, now: now) else { continue }
            var index = Int(truncatingIfNeeded: slot.0) & mask
            while true {
                let target = slots[index]
                if target.0 == 0 {
                    slots[index] = slot
                    used += 1
                    break
                }
                if target.0 == slot.0 && (target.1 & Self.fingerprintMask) == (slot.1 & Self.fingerprintMask) { break }
                index = (index + 1) & mask
            }
        }
        if migrated == oldCapacity {
            SlotTableAllocator.release(.init(slots: old, capacity: oldCapacity))
            self.old = nil
            oldCapacity = 0
            oldPending = 0
        }
    }
}
