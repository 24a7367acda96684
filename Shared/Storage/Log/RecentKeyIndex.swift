#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCRC32C

/// Remembers which keys were seen within a sliding window, in 8 bytes per slot: an
/// open-addressing, linear-probing table of 54 bits of the key's 128-bit fingerprint (32
/// of them choose the home slot) and a 10-bit time stamp.
///
/// Memory: 8 bytes per slot; the table is resized when more than 3/4 of its slots are
/// used (up to 7/8 while its successor is still being prepared), to at least twice the
/// live (unexpired) entries, so each remembered key costs 9–21 bytes (16 on average over a
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
/// Why 8 bytes and not 16: every byte of a growing table is fresh memory, and in a VM
/// whose balloon reports free pages to the host, fresh memory costs a host fault per
/// 4 KiB page (~10 µs here, against ~1.5 µs for memory the guest reused): preparing a
/// 2 GiB table took ~5 s of CPU in the middle of a benchmark run. Half the bytes per slot
/// halves that cost and the cache and TLB footprint of every probe.
///
/// Collisions: a new key is reported as already seen when an unexpired entry in its probe
/// run has the same 54 fingerprint bits. A probe for a new key compares ~1.5–8.5 entries at the
/// loads the table runs at (½(1 + 1/(1 − α)²) for linear probing at load α), so the chance
/// is below 5 × 10⁻¹⁶ per new activity at 3/4 full (10⁻⁶ over two billion activities).
///
/// Time: stamps count units of `unitHours` (one hour for windows up to 511 hours, coarser
/// beyond, so the window is at most 511 units) relative to the table's epoch, which is set
/// one window before its creation; a table is rebuilt (at the same size, dropping expired
/// entries) before its age reaches 1024 units, so a stamp never wraps. A key is remembered
/// until its stamp is more than the window (rounded up to whole units) old.
///
/// Not thread-safe: the owner serializes access.
public struct RecentKeyIndex: ~Copyable {
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private var used = 0
    /// The unit number that stamp 0 of `slots` stands for (nil until the first insert).
    private var epoch: Int?
    /// The table being migrated into `slots` (nil when no resize is in progress).
    private var old: UnsafeMutablePointer<UInt64>?
    private var oldCapacity = 0
    private var oldEpoch = 0
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
    /// Hours per stamp unit: 1, or more for windows above 511 hours.
    public let unitHours: Int
    /// The window in stamp units (at most 511).
    private let windowUnits: Int
    /// The bytes of memory the slot arrays occupy.
    public var memoryBytes: Int { (capacity + oldCapacity) * 8 + tables.preparedBytes }

    private static let stampBits: UInt64 = 10
    private static let stampMask: UInt64 = (1 << stampBits) - 1
    /// Stamps relative to a table's epoch stay below this.
    private static let stampLimit = 1 << stampBits
    /// The largest table: homes come from 32 stored bits (2³² slots are 32 GiB).
    private static let maximumCapacity = 1 << 32
    /// A table this many units past its epoch is rebuilt (before new stamps would overflow).
    private static let rebuildAge = 768

    /// The most keys an index can be sized for up front (``capacity(forExpectedKeys:)``):
    /// half the largest table.
    public static let maximumExpectedKeys = maximumCapacity / 2

    /// The initial capacity (slots) that holds `keys` remembered keys without ever growing:
    /// the next power of two at or above twice `keys` (at least 2¹⁶), because the next
    /// table is prepared once a table is half full. 8 bytes per slot, so 16–32 bytes per
    /// expected key, all mapped and faulted in when the index is created.
    ///
    /// Why size up front: a growing table prepares a successor twice its size and then
    /// migrates into it. In this project's VM, the host faults in every fresh page
    /// (~2.5 s of CPU per GiB), and under a batch-100 load test each doubling cut
    /// throughput by about a quarter for ~5 s (3.4–4.2M activities/s between resizes,
    /// 2.2–2.9M while a 1–2 GiB table was prepared). A deployment that knows its volume per window
    /// pays that once, at start, instead.
    public static func capacity(forExpectedKeys keys: Int) -> Int {
        let wanted = min(max(keys, 0), maximumExpectedKeys) * 2
        var size = 1 << 16
        while size < wanted { size <<= 1 }
        return size
    }

    /// Creates an empty index remembering keys for `windowSeconds` (rounded up to hours),
    /// with a first table of at least `initialCapacity` slots (rounded up to a power of
    /// two), mapped and faulted in before this returns.
    public init(windowSeconds: Int64, initialCapacity: Int = 1 << 16) {
        self.init(windowSeconds: windowSeconds, initialCapacity: initialCapacity, tables: SlotTableAllocator())
    }

    /// Creates an empty index whose next tables come from `tables` (for tests that hold a
    /// preparation back).
    init(windowSeconds: Int64, initialCapacity: Int, tables: SlotTableAllocator) {
        self.tables = tables
        windowHours = Int(max(1, (windowSeconds + 3599) / 3600))
        unitHours = (windowHours + 510) / 511
        windowUnits = (windowHours + unitHours - 1) / unitHours
        var size = 1024
        while size < min(initialCapacity, Self.maximumCapacity) { size <<= 1 }
        capacity = size
        slots = SlotTableAllocator.map(capacity: size, populate: true, hugePages: true).slots
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
    public static func stamp(forMilliseconds milliseconds: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: max(0, milliseconds / 3_600_000))
    }

    /// The stamp unit of an hour number: the hour itself for windows up to 511 hours (no
    /// division on the insert path, which converts two hour numbers per key).
    @inline(__always)
    private func units(_ hours: UInt32) -> Int {
        unitHours == 1 ? Int(hours) : Int(hours) / unitHours
    }

    /// The slot contents for a key, stamp aside: the low 32 bits of its fingerprint's high
    /// half (which also choose its home slot, in any table of up to 2³² slots, so a resize
    /// can place a stored entry without the key) and 22 bits of the low half. Never zero, so
    /// no entry looks like an empty slot.
    @inline(__always)
    private static func entryBits(_ key: KeyFingerprint) -> UInt64 {
        let bits = (key.high << 32) | ((key.low >> 42) << stampBits)
        return bits == 0 ? 1 << stampBits : bits
    }

    /// The home slot of a stored entry in a table with `mask` (capacity - 1).
    @inline(__always)
    private static func home(ofEntry slot: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: slot >> 32) & mask
    }

    /// Starts loading the first slot `key` probes — and the next cache line when that slot is in the
    /// last quarter of its line (eight 8-byte slots per line), where a probe run soon
    /// crosses into it — plus the old table's slot while a resize still needs it there, so
    /// that a batch of keys can have their cache misses in flight together before they
    /// are inserted one by one.
    @inline(__always)
    public func prefetch(_ key: KeyFingerprint) {
        let first = Int(truncatingIfNeeded: key.high) & (capacity - 1)
        fanheat_prefetch(slots + first)
        if first & 7 >= 6 { fanheat_prefetch(slots + ((first + 2) & (capacity - 1))) }
        if let old {
            let home = Int(truncatingIfNeeded: key.high) & (oldCapacity - 1)
            if home > oldSettled { fanheat_prefetch(old + home) }
        }
    }

    /// Records `key` seen at hour `stamp` unless it is already remembered and unexpired as
    /// of hour `now`; returns true when the key is new (was recorded), false for a duplicate.
    public mutating func insert(_ key: KeyFingerprint, stamp: UInt32, now: UInt32) -> Bool {
        let nowUnits = units(now)
        if epoch == nil { epoch = nowUnits - windowUnits }
        if nowUnits - epoch! >= Self.rebuildAge {
            rebuild(nowUnits: nowUnits)
        } else if old != nil {
            migrate(nowUnits: nowUnits)
        } else if counted >= 0 {
            countLive(nowUnits: nowUnits)
        } else if let planned = plannedCapacity {
            // Due at 3/4 full, but only into a prepared table while there is room to wait
            // for one: a lazily faulted table costs every insert page faults (two per page:
            // the zero page, then copy on write) and TLB-flush interrupts for seconds.
            if (used + 1) * 4 > capacity * 3 && (tables.hasPreparedTable || (used + 1) * 8 > capacity * 7) {
                beginResize(capacity: planned, nowUnits: nowUnits)
            }
        } else if (used + 1) * 2 > capacity {
            counted = 0
            sampledUsed = 0
            sampledLive = 0
            countLive(nowUnits: nowUnits)
        }
        let tag = Self.entryBits(key)
        if let old, Int(truncatingIfNeeded: key.high) & (oldCapacity - 1) > oldSettled,
           let stored = Self.find(key.high, tag, in: old, capacity: oldCapacity),
           Int(stored & Self.stampMask) >= nowUnits - windowUnits - oldEpoch {
            return false
        }
        let epoch = epoch!
        // Stamps older than the epoch (only from a clock set back) count as the epoch: the
        // key is then remembered longer, never shorter.
        let relative = min(max(units(stamp) - epoch, 0), Self.stampLimit - 1)
        let stored = tag | UInt64(relative)
        // An entry whose stamp is below this has expired.
        let expiredBelow = nowUnits - windowUnits - epoch
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: key.high) & mask
        var reusable = -1
        while true {
            let slot = slots[index]
            if slot == 0 {
                if reusable >= 0 {
                    slots[reusable] = stored
                } else {
                    slots[index] = stored
                    used += 1
                }
                return true
            }
            let expired = Int(slot & Self.stampMask) < expiredBelow
            if slot & ~Self.stampMask == tag {
                if !expired { return false }
                slots[index] = stored
                return true
            }
            if expired && reusable < 0 { reusable = index }
            index = (index + 1) & mask
        }
    }

    /// Whether `key` is remembered and unexpired as of hour `now`.
    public func contains(_ key: KeyFingerprint, now: UInt32) -> Bool {
        guard let epoch else { return false }
        let nowUnits = units(now)
        let tag = Self.entryBits(key)
        if let stored = Self.find(key.high, tag, in: slots, capacity: capacity),
           Int(stored & Self.stampMask) >= nowUnits - windowUnits - epoch {
            return true
        }
        if let old, Int(truncatingIfNeeded: key.high) & (oldCapacity - 1) > oldSettled,
           let stored = Self.find(key.high, tag, in: old, capacity: oldCapacity) {
            return Int(stored & Self.stampMask) >= nowUnits - windowUnits - oldEpoch
        }
        return false
    }

    /// The first slot of a table holding the entry bits `tag` in the probe run from
    /// `high`'s home slot, if any.
    private static func find(_ high: UInt64, _ tag: UInt64, in table: UnsafeMutablePointer<UInt64>, capacity: Int) -> UInt64? {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: high) & mask
        while true {
            let slot = table[index]
            if slot == 0 { return nil }
            if slot & ~stampMask == tag { return slot }
            index = (index + 1) & mask
        }
    }

    /// Samples the next evenly spaced slots for an upcoming resize (all remaining ones at
    /// once if the table is 3/4 full); once the sample is complete, estimates the live
    /// entries, plans the next table's size and has it prepared in the background.
    ///
    /// Why a sample and not a count: counting meant reading the whole table (8 bytes a
    /// slot) once per resize, ~2% of the ingest pipeline's CPU; 4096 slots estimate the
    /// live share within about 1% (one standard error), well inside the margin below.
    private mutating func countLive(nowUnits: Int) {
        let samples = min(capacity, Self.sampleCount)
        let stride = capacity / samples
        let end = (used + 1) * 4 > capacity * 3 ? samples : min(samples, counted + Self.countStep)
        let expiredBelow = nowUnits - windowUnits - (epoch ?? nowUnits)
        while counted < end {
            let slot = slots[counted * stride]
            if slot != 0 {
                sampledUsed += 1
                if Int(slot & Self.stampMask) >= expiredBelow { sampledLive += 1 }
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
        while (live + 1) * 2 > newCapacity && newCapacity < Self.maximumCapacity { newCapacity <<= 1 }
        plannedCapacity = newCapacity
        tables.prepare(capacity: newCapacity)
    }

    /// Rebuilds the table before its stamps could overflow (the table has lived
    /// `rebuildAge` units): finishes a migration still running (only a table that saw
    /// almost no inserts for weeks gets here mid-migration), then starts a resize into a
    /// table of the planned size, or the current one, with a new epoch.
    private mutating func rebuild(nowUnits: Int) {
        while old != nil { migrate(nowUnits: nowUnits) }
        counted = -1
        beginResize(capacity: plannedCapacity ?? capacity, nowUnits: nowUnits)
    }

    /// Starts a resize into a table of `newCapacity` slots (the prepared one if it is
    /// ready) and makes the current table the old one. The new table's epoch is one
    /// window before now: every unexpired entry's stamp is at or after it.
    private mutating func beginResize(capacity newCapacity: Int, nowUnits: Int) {
        plannedCapacity = nil
        old = slots
        oldCapacity = capacity
        oldEpoch = epoch ?? nowUnits - windowUnits
        oldPending = used
        migrated = 0
        oldSettled = -1
        let table = tables.take(capacity: newCapacity)
        slots = table.slots
        capacity = table.capacity
        epoch = nowUnits - windowUnits
        used = 0
    }

    /// Moves the next slots of the old table into the current one, dropping expired
    /// entries and restamping the others against the new epoch; frees the old table when
    /// it is done.
    private mutating func migrate(nowUnits: Int) {
        guard let old else { return }
        let end = min(oldCapacity, migrated + Self.migrationStep)
        let mask = capacity - 1
        let expiredBelow = nowUnits - windowUnits - oldEpoch
        let shift = oldEpoch - (epoch ?? oldEpoch)
        // Each moved entry lands in a random line of the new table: start those misses
        // together before the moves wait on them one by one.
        for position in migrated..<end where old[position] != 0 {
            fanheat_prefetch(slots + (Self.home(ofEntry: old[position], mask: mask)))
        }
        while migrated < end {
            let slot = old[migrated]
            guard slot != 0 else {
                oldSettled = migrated
                migrated += 1
                continue
            }
            migrated += 1
            oldPending -= 1
            guard Int(slot & Self.stampMask) >= expiredBelow else { continue }
            let relative = min(max(Int(slot & Self.stampMask) + shift, 0), Self.stampLimit - 1)
            let moved = (slot & ~Self.stampMask) | UInt64(relative)
            var index = Self.home(ofEntry: slot, mask: mask)
            while true {
                let target = slots[index]
                if target == 0 {
                    slots[index] = moved
                    used += 1
                    break
                }
                if target & ~Self.stampMask == slot & ~Self.stampMask { break }
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
