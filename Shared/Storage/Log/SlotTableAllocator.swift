#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FanHeatSync
import Synchronization

/// Maps the zeroed slot tables of ``RecentKeyIndex`` and prepares the next, larger one on
/// a background thread, with every page already faulted in for writing.
///
/// Why: a table that comes lazily from `mmap` is faulted in by the inserts themselves, on
/// an event loop, while the index lock is held. A probe that reads a slot first maps the
/// kernel's shared zero page, and the write that follows faults again (copy on write),
/// which flushes the TLB of every CPU running the process (an inter-processor interrupt).
/// Under batch-100 ingest those faults, the IPIs and the zeroing took about a fifth of the
/// server's CPU. A table populated in advance (a store to every page) takes each page
/// once, off the hot path, and without the zero-page round trip.
final class SlotTableAllocator: @unchecked Sendable {
    /// One table of `capacity` 8-byte slots.
    struct Table: @unchecked Sendable {
        /// The first slot.
        let slots: UnsafeMutablePointer<UInt64>
        /// The number of slots.
        let capacity: Int
    }

    private enum State {
        case idle
        /// A background thread is preparing a table; only the preparation numbered
        /// `generation` may hand its result over (an abandoned one unmaps its table).
        case preparing(capacity: Int, generation: UInt64)
        case ready(Table)
        case closed
    }

    private let state = AdaptiveLock<State>(.idle)
    private var generation: UInt64 = 0
    /// Mirrors `state == .ready`, for the insert path to poll without taking the lock.
    private let ready = Atomic<Bool>(false)
    /// Faults a freshly mapped table's pages in (a parameter so that tests can hold a
    /// preparation back).
    private let populate: @Sendable (Table) -> Void

    /// Creates an allocator with nothing prepared; `populate` faults a prepared table's
    /// pages in on the background thread (by default ``populate(_:)``).
    init(populate: @escaping @Sendable (Table) -> Void = { SlotTableAllocator.populate($0) }) {
        self.populate = populate
    }

    /// Maps a zeroed table of `capacity` slots; with `populate`, faults every page in for
    /// writing before returning. With `hugePages`, a table of 2 MiB or more starts on a
    /// 2 MiB boundary and is advised for transparent huge pages (see ``mapAligned(bytes:)``).
    static func map(capacity: Int, populate: Bool, hugePages: Bool) -> Table {
        let bytes = capacity * 8
        let raw = hugePages && bytes >= hugePageBytes ? mapAligned(bytes: bytes) : mapAnonymous(bytes: bytes)
        let table = Table(slots: raw.bindMemory(to: UInt64.self, capacity: capacity), capacity: capacity)
        if populate { Self.populate(table) }
        return table
    }

    /// The size and alignment of a transparent huge page on x86-64 and most arm64 kernels.
    static let hugePageBytes = 2 << 20

    /// Maps `bytes` on a 2 MiB boundary and asks for transparent huge pages
    /// (`MADV_HUGEPAGE`; this machine's kernel, like most distributions', gives them only
    /// where asked).
    ///
    /// Why: every insert lands on a random slot, so with 4 KiB pages nearly every probe of a
    /// table larger than the TLB's reach (~12 MiB) also misses the TLB, and in a virtual
    /// machine that miss walks both the guest's and the host's page tables. With 2 MiB
    /// pages a 1 GiB table needs 512 TLB entries. Measured with `benchmarks/index.sh`
    /// (30M keys, the table growing through 512 MiB): 77.6–80.7 ns per insert against
    /// 98.8–102.7 ns.
    /// Only tables faulted in off the insert path ask for it (the initial table and the
    /// prepared ones): the kernel may compact memory to find a huge page when one is
    /// faulted in, which the background preparation can afford and an insert holding the
    /// index lock cannot. Where huge pages are off, the advice is ignored
    /// and the table uses small pages as before.
    private static func mapAligned(bytes: Int) -> UnsafeMutableRawPointer {
        let mapped = mapAnonymous(bytes: bytes + hugePageBytes)
        let address = Int(bitPattern: mapped)
        let aligned = (address + hugePageBytes - 1) & ~(hugePageBytes - 1)
        // Give back the unaligned head and the tail beyond the table.
        if aligned > address { munmap(mapped, aligned - address) }
        let tail = address + hugePageBytes - aligned
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + bytes), tail) }
        let raw = UnsafeMutableRawPointer(bitPattern: aligned)!
        #if canImport(Glibc)
        _ = madvise(raw, bytes, MADV_HUGEPAGE)
        #endif
        return raw
    }

    private static func mapAnonymous(bytes: Int) -> UnsafeMutableRawPointer {
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else {
            fatalError("RecentKeyIndex: out of memory for a table of \(bytes) bytes")
        }
        return raw
    }

    /// Unmaps a table, 64 MiB per `munmap`: each call holds the process's memory-map lock
    /// for writing, and one call over a 2 GiB table held it for ~170 ms, during which every
    /// page fault elsewhere in the process (a growing heap, a lazily faulted table) waited.
    static func unmap(_ table: Table) {
        let raw = UnsafeMutableRawPointer(table.slots)
        let bytes = table.capacity * 8
        let chunk = 64 << 20
        var position = 0
        while position < bytes {
            let length = min(chunk, bytes - position)
            munmap(raw + position, length)
            position += length
        }
    }

    /// Unmaps a table on a background thread. For the callers on the insert path: freeing
    /// the pages of a large table is slow (measured here: 53 ms for 512 MiB, 170 ms for
    /// 2 GiB), and done inline it stalled every ingest call waiting for the index lock.
    static func release(_ table: Table) {
        DetachedThread { unmap(table) }.start()
    }

    /// Faults a table's pages in for writing by storing to one byte of every page: each
    /// store allocates a zeroed page in one fault (a load would map the shared zero page
    /// and the first insert would fault again, copy on write). Page faults take only the
    /// table's own mapping lock (per-VMA locking), not the process's memory-map lock,
    /// which matters because the preparing thread runs at a reduced priority:
    /// `MADV_POPULATE_WRITE` holds the memory-map lock for reading during each call, and
    /// a preempted low-priority thread holding it would make every `mmap`, `munmap` and
    /// `mprotect` elsewhere in the process (an allocator growing a heap on an event loop)
    /// wait until it ran again.
    static func populate(_ table: Table) {
        let raw = UnsafeMutableRawPointer(table.slots)
        let bytes = table.capacity * 8
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var position = 0
        while position < bytes {
            raw.storeBytes(of: 0, toByteOffset: position, as: UInt8.self)
            position += page
        }
    }

    /// Starts preparing a table of `capacity` slots on a background thread, unless one of
    /// that size is already being prepared or ready. A table prepared for another size is
    /// released; a preparation of another size still running is abandoned.
    func prepare(capacity: Int) {
        let (generation, stale): (UInt64?, Table?) = state.withLock { state in
            switch state {
            case .closed:
                return (nil, nil)
            case .ready(let table) where table.capacity == capacity:
                return (nil, nil)
            case .preparing(let planned, _) where planned == capacity:
                return (nil, nil)
            case .idle, .ready, .preparing:
                var stale: Table?
                if case .ready(let table) = state { stale = table }
                self.generation += 1
                state = .preparing(capacity: capacity, generation: self.generation)
                ready.store(false, ordering: .releasing)
                return (self.generation, stale)
            }
        }
        if let stale { Self.release(stale) }
        guard let generation else { return }
        // Nice 10: zeroing every page of a large table takes CPU that a busy server's
        // event loops and log writer need more (at normal priority, batch-100 ingest lost a
        // third of its throughput for the 2 s that preparing a 2 GiB table took); it has
        // from half full to 7/8 full to finish.
        DetachedThread(priority: .reduced) { [self] in
            let table = Self.map(capacity: capacity, populate: false, hugePages: true)
            populate(table)
            let keep: Bool = state.withLock { state in
                guard case .preparing(_, generation) = state else { return false }
                state = .ready(table)
                ready.store(true, ordering: .releasing)
                return true
            }
            if !keep { Self.unmap(table) }
        }.start()
    }

    /// A table of `capacity` slots: the prepared one if it is ready and has that size, else
    /// a freshly mapped one, faulted in by its users (a preparation still running is
    /// abandoned: its table is unmapped when it finishes instead of waiting, unused, for
    /// the next resize).
    func take(capacity: Int) -> Table {
        let prepared: Table? = state.withLock { state in
            switch state {
            case .ready(let table):
                state = .idle
                ready.store(false, ordering: .releasing)
                return table
            case .preparing:
                state = .idle
                return nil
            case .idle, .closed:
                return nil
            }
        }
        if let prepared {
            if prepared.capacity == capacity { return prepared }
            Self.release(prepared)
        }
        return Self.map(capacity: capacity, populate: false, hugePages: false)
    }

    /// Whether a prepared table is waiting to be taken (one atomic load: cheap enough to
    /// ask on every insert).
    var hasPreparedTable: Bool { ready.load(ordering: .acquiring) }

    /// The bytes of the table being prepared or waiting to be taken.
    var preparedBytes: Int {
        state.withLock { state in
            switch state {
            case .preparing(let capacity, _): capacity * 8
            case .ready(let table): table.capacity * 8
            case .idle, .closed: 0
            }
        }
    }

    /// Unmaps a prepared table and makes a preparation still running discard its result.
    func close() {
        let prepared: Table? = state.withLock { state in
            defer {
                state = .closed
                ready.store(false, ordering: .releasing)
            }
            if case .ready(let table) = state { return table }
            return nil
        }
        if let prepared { Self.unmap(prepared) }
    }
}
