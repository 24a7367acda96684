#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FanHeatSync

/// Maps the zeroed slot tables of ``RecentKeyIndex`` and prepares the next, larger one on
/// a background thread, with every page already faulted in for writing.
///
/// Why: a table that comes lazily from `mmap` is faulted in by the inserts themselves, on
/// an event loop, while the index lock is held. A probe that reads a slot first maps the
/// kernel's shared zero page, and the write that follows faults again (copy on write),
/// which flushes the TLB of every CPU running the process (an inter-processor interrupt).
/// Under batch-100 ingest those faults, the IPIs and the zeroing took about a fifth of the
/// server's CPU. A table populated in advance (`MADV_POPULATE_WRITE`) takes each page
/// once, off the hot path, and without the zero-page round trip.
final class SlotTableAllocator: @unchecked Sendable {
    /// One table of `capacity` 16-byte slots.
    struct Table: @unchecked Sendable {
        /// The first slot.
        let slots: UnsafeMutablePointer<(UInt64, UInt64)>
        /// The number of slots.
        let capacity: Int
    }

    private enum State {
        case idle
        case preparing(capacity: Int)
        case ready(Table)
        case closed
    }

    private let state = AdaptiveLock<State>(.idle)

    /// Creates an allocator with nothing prepared.
    init() {}

    /// Maps a zeroed table of `capacity` slots; with `populate`, faults every page in for
    /// writing before returning.
    static func map(capacity: Int, populate: Bool) -> Table {
        let bytes = capacity * 16
        guard let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else {
            fatalError("RecentKeyIndex: out of memory for \(capacity) slots")
        }
        if populate { Self.populate(raw, bytes: bytes) }
        return Table(slots: raw.bindMemory(to: (UInt64, UInt64).self, capacity: capacity), capacity: capacity)
    }

    /// Unmaps a table.
    static func unmap(_ table: Table) {
        munmap(UnsafeMutableRawPointer(table.slots), table.capacity * 16)
    }

    /// Unmaps a table on a background thread. For the callers on the insert path: freeing
    /// the pages of a large table is slow (measured here: 53 ms for 512 MiB, 170 ms for
    /// 2 GiB), and done inline it stalled every ingest call waiting for the index lock.
    static func release(_ table: Table) {
        DetachedThread { unmap(table) }.start()
    }

    /// Faults `bytes` at `raw` in for writing, 1 MiB per `madvise(MADV_POPULATE_WRITE)`, or
    /// on kernels without it (before 5.14) by writing to every page. The call holds the
    /// process's memory-map lock for reading while it runs: one call over a whole 1 GiB
    /// table made every `mmap`, `munmap` and `mprotect` elsewhere in the process (the
    /// allocator growing a heap) wait for it, and ingest calls stalled for 2 s.
    private static func populate(_ raw: UnsafeMutableRawPointer, bytes: Int) {
        let chunk = 1 << 20
        var position = 0
        #if canImport(Glibc)
        while position < bytes {
            let length = min(chunk, bytes - position)
            guard madvise(raw + position, length, 23 /* MADV_POPULATE_WRITE */) == 0 else { break }
            position += length
        }
        #endif
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        while position < bytes {
            raw.storeBytes(of: 0, toByteOffset: position, as: UInt8.self)
            position += page
        }
    }

    /// Starts preparing a table of `capacity` slots on a background thread, unless one is
    /// already being prepared or ready.
    func prepare(capacity: Int) {
        let (start, stale): (Bool, Table?) = state.withLock { state in
            switch state {
            case .idle:
                state = .preparing(capacity: capacity)
                return (true, nil)
            case .ready(let table) where table.capacity != capacity:
                // Prepared for an earlier resize that did not wait for it: wrong size now.
                state = .preparing(capacity: capacity)
                return (true, table)
            case .ready, .preparing, .closed:
                return (false, nil)
            }
        }
        if let stale { Self.release(stale) }
        guard start else { return }
        DetachedThread { [self] in
            let table = Self.map(capacity: capacity, populate: true)
            let keep: Bool = state.withLock { state in
                guard case .preparing = state else { return false }
                state = .ready(table)
                return true
            }
            if !keep { Self.unmap(table) }
        }.start()
    }

    /// A table of `capacity` slots: the prepared one if it is ready and has that size, else
    /// a freshly mapped one, faulted in by its users.
    func take(capacity: Int) -> Table {
        let prepared: Table? = state.withLock { state in
            guard case .ready(let table) = state else { return nil }
            state = .idle
            return table
        }
        if let prepared {
            if prepared.capacity == capacity { return prepared }
            Self.release(prepared)
        }
        return Self.map(capacity: capacity, populate: false)
    }

    /// Whether a prepared table is waiting to be taken.
    var hasPreparedTable: Bool {
        state.withLock { state in if case .ready = state { true } else { false } }
    }

    /// The bytes of the table being prepared or waiting to be taken.
    var preparedBytes: Int {
        state.withLock { state in
            switch state {
            case .preparing(let capacity): capacity * 16
            case .ready(let table): table.capacity * 16
            case .idle, .closed: 0
            }
        }
    }

    /// Unmaps a prepared table and makes a preparation still running discard its result.
    func close() {
        let prepared: Table? = state.withLock { state in
            defer { state = .closed }
            if case .ready(let table) = state { return table }
            return nil
        }
        if let prepared { Self.unmap(prepared) }
    }
}
