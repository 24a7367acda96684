#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import XCTest
@testable import FanHeatStorage

/// The log's page-cache trimming (checked with `mincore` on a real file) and the dedup
/// index's background-prepared tables.
final class PageCacheAndTableTests: XCTestCase {
    /// A directory on the package's file system (not a tmpfs, where the page cache is the
    /// storage and cannot be dropped).
    private var directory = ""

    override func setUp() {
        directory = FileManager.default.currentDirectoryPath + "/.build/test-scratch/cache-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The fraction of the file's pages in `from..<to` that are in the page cache.
    private func residentFraction(_ path: String, from: Int, to: Int) -> Double {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = to - from
        let mapped = mmap(nil, length, PROT_READ, MAP_SHARED, fd, off_t(from))!
        defer { munmap(mapped, length) }
        var vector = [UInt8](repeating: 0, count: (length + page - 1) / page)
        XCTAssertEqual(mincore(mapped, length, &vector), 0)
        return Double(vector.filter { $0 & 1 != 0 }.count) / Double(vector.count)
    }

    func testTrimmerDropsSyncedPagesBehindTheWindowAndKeepsTheTail() throws {
        let path = directory + "/segment.log"
        let file = try LogFile(path: path, create: true)
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
        var trimmer = PageCacheTrimmer(keepBytes: 4 << 20, stepBytes: 1 << 20)
        for number in 0..<24 {
            try chunk.withUnsafeBytes { try file.write($0, at: number << 20) }
            try file.syncData()
            trimmer.noteSynced(file, from: number << 20, to: (number + 1) << 20)
            XCTAssertLessThan(trimmer.heldBytes, (4 << 20) + (1 << 20))
        }
        XCTAssertEqual(trimmer.droppedBytes + trimmer.heldBytes, 24 << 20)
        XCTAssertGreaterThanOrEqual(trimmer.droppedBytes, 19 << 20)
        XCTAssertLessThan(residentFraction(path, from: 0, to: 19 << 20), 0.05, "dropped range still cached")
        XCTAssertGreaterThan(residentFraction(path, from: 20 << 20, to: 24 << 20), 0.95, "the window was dropped")
        // Dropping only the cache: every byte still reads back.
        var back = [UInt8](repeating: 0, count: 1 << 20)
        XCTAssertEqual(try file.read(into: &back, at: 3 << 20), 1 << 20)
        XCTAssertEqual(back, chunk)
    }

    func testTrimmerFollowsRolledSegmentsAndCanBeOff() throws {
        let first = try LogFile(path: directory + "/a.log", create: true)
        let second = try LogFile(path: directory + "/b.log", create: true)
        let chunk = [UInt8](repeating: 1, count: 1 << 20)
        var trimmer = PageCacheTrimmer(keepBytes: 2 << 20, stepBytes: 1 << 20)
        var off = PageCacheTrimmer(keepBytes: nil)
        for number in 0..<3 {
            try chunk.withUnsafeBytes { try first.write($0, at: number << 20) }
            try first.syncData()
            trimmer.noteSynced(first, from: number << 20, to: (number + 1) << 20)
            off.noteSynced(first, from: number << 20, to: (number + 1) << 20)
        }
        for number in 0..<3 {
            try chunk.withUnsafeBytes { try second.write($0, at: number << 20) }
            try second.syncData()
            trimmer.noteSynced(second, from: number << 20, to: (number + 1) << 20)
        }
        XCTAssertEqual(trimmer.heldBytes, 2 << 20)
        XCTAssertLessThan(residentFraction(first.path, from: 0, to: 3 << 20), 0.05, "the rolled segment stayed cached")
        XCTAssertLessThan(residentFraction(second.path, from: 0, to: 1 << 20), 0.05)
        XCTAssertGreaterThan(residentFraction(second.path, from: 1 << 20, to: 3 << 20), 0.95)
        XCTAssertEqual(off.droppedBytes, 0)
    }

    func testAllocatorHandsOverThePreparedTableZeroedAndReplacesAWrongSize() throws {
        let allocator = SlotTableAllocator()
        allocator.prepare(capacity: 1 << 14)
        XCTAssertEqual(allocator.preparedBytes, (1 << 14) * 8)
        let deadline = Date().addingTimeInterval(20)
        while !allocator.hasPreparedTable && Date() < deadline { usleep(1000) }
        XCTAssertTrue(allocator.hasPreparedTable, "the background thread never prepared the table")
        let table = allocator.take(capacity: 1 << 14)
        XCTAssertFalse(allocator.hasPreparedTable)
        XCTAssertEqual(table.capacity, 1 << 14)
        XCTAssertTrue((0..<table.capacity).allSatisfy { table.slots[$0] == 0 })
        SlotTableAllocator.unmap(table)

        allocator.prepare(capacity: 1 << 12)
        while !allocator.hasPreparedTable && Date() < deadline { usleep(1000) }
        let other = allocator.take(capacity: 1 << 13)
        XCTAssertEqual(other.capacity, 1 << 13, "a prepared table of another size was handed out")
        XCTAssertEqual(allocator.preparedBytes, 0)
        SlotTableAllocator.unmap(other)
        allocator.prepare(capacity: 1 << 12)
        allocator.close()
    }

    /// The bounds and the `VmFlags` of the mapping of this process that contains `address`,
    /// from `/proc/self/smaps`.
    private func mapping(containing address: UnsafeRawPointer) throws -> (start: Int, end: Int, flags: [String]) {
        // Read to the end: a /proc file reports a size of 0.
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        let target = Int(bitPattern: address)
        var current: (start: Int, end: Int)?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { Int($0, radix: 16) }
                current = bounds.count == 2 && bounds[0] <= target && target < bounds[1] ? (bounds[0], bounds[1]) : nil
            } else if let found = current, fields.first == "VmFlags:" {
                return (found.start, found.end, fields.dropFirst().map(String.init))
            }
        }
        XCTFail("no mapping in /proc/self/smaps contains address \(address)")
        return (0, 0, [])
    }

    func testPreparedTablesAskForHugePagesAndLazyTablesDoNot() throws {
        let allocator = SlotTableAllocator()
        let capacity = 1 << 19  // 4 MiB
        allocator.prepare(capacity: capacity)
        let deadline = Date().addingTimeInterval(20)
        while !allocator.hasPreparedTable && Date() < deadline { usleep(1000) }
        XCTAssertTrue(allocator.hasPreparedTable, "the background thread never prepared the table")
        let prepared = allocator.take(capacity: capacity)
        let start = Int(bitPattern: prepared.slots)
        XCTAssertEqual(start % SlotTableAllocator.hugePageBytes, 0, "a prepared table starts on a 2 MiB boundary")
        let area = try mapping(containing: prepared.slots)
        XCTAssertTrue(area.flags.contains("hg"), "a prepared table is advised for huge pages (MADV_HUGEPAGE): \(area.flags)")
        // The whole table lies in that one advised mapping. (Its exact bounds are not
        // checked: the kernel may merge it with an adjacent mapping of the same flags.)
        XCTAssertTrue(area.start <= start && start + capacity * 8 <= area.end, "the table spans one mapping")
        prepared.slots[capacity - 1] = 7
        SlotTableAllocator.unmap(prepared)

        // Nothing prepared: the table is mapped lazily, for the inserts to fault in, and
        // must not make them wait for the kernel to find or compact a huge page.
        let lazy = allocator.take(capacity: capacity)
        XCTAssertFalse(try mapping(containing: lazy.slots).flags.contains("hg"), "a lazily mapped table asks for no huge pages")
        XCTAssertEqual(lazy.slots[capacity - 1], 0)
        SlotTableAllocator.unmap(lazy)
        allocator.close()
    }

    func testTablePreparationRunsAtReducedPriorityAndFaultsEveryPageIn() throws {
        // What the preparing thread saw: its nice value, and the share of the table's pages
        // resident after the default populate step.
        let observed = Mutex<(nice: Int32, resident: Double)?>(nil)
        let allocator = SlotTableAllocator(populate: { table in
            errno = 0
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            SlotTableAllocator.populate(table)
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let bytes = table.capacity * 8
            var vector = [UInt8](repeating: 0, count: (bytes + page - 1) / page)
            let resident = mincore(UnsafeMutableRawPointer(table.slots), bytes, &vector) == 0
                ? Double(vector.filter { $0 & 1 != 0 }.count) / Double(vector.count) : -1
            observed.withLock { $0 = (nice, resident) }
        })
        allocator.prepare(capacity: 1 << 16)  // 1 MiB
        let deadline = Date().addingTimeInterval(20)
        while !allocator.hasPreparedTable && Date() < deadline { usleep(1000) }
        XCTAssertTrue(allocator.hasPreparedTable, "the background thread never prepared the table")
        let seen = try XCTUnwrap(observed.withLock { $0 })
        XCTAssertEqual(seen.nice, 10, "the table is prepared at nice 10, below the event loops and the writer")
        XCTAssertEqual(seen.resident, 1.0, "every page of the table is faulted in before it is handed over")
        XCTAssertEqual(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), 0, "the caller's own priority is unchanged")
        SlotTableAllocator.unmap(allocator.take(capacity: 1 << 16))
        allocator.close()
    }

    func testIndexResizesIntoThePreparedTableWithoutLosingKeys() throws {
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: 1024)
        let now: UInt32 = 9
        // Half of 1024 slots, plus the 16 inserts that count the live entries.
        for number in 0..<(512 + 16) {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "p-\(number)"), stamp: now, now: now))
        }
        let deadline = Date().addingTimeInterval(20)
        while !index.nextTableIsPrepared && Date() < deadline { usleep(1000) }
        XCTAssertTrue(index.nextTableIsPrepared, "no table was prepared at half full")
        XCTAssertEqual(index.memoryBytes, (1024 + 2048) * 8, "the prepared table is not counted")
        // The resize begins at 3/4 full (768) and takes the prepared table; 16 inserts
        // later the old table is migrated and freed.
        for number in (512 + 16)..<780 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "p-\(number)"), stamp: now, now: now))
        }
        XCTAssertFalse(index.nextTableIsPrepared, "the resize did not take the prepared table")
        XCTAssertEqual(index.memoryBytes, (2048 + 1024) * 8)
        for number in 780..<3000 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "p-\(number)"), stamp: now, now: now))
        }
        for number in 0..<3000 {
            XCTAssertFalse(index.insert(KeyFingerprint("c", "p-\(number)"), stamp: now, now: now), "p-\(number) forgotten")
        }
        XCTAssertEqual(index.count, 3000)
    }

    func testIndexWaitsForAHeldBackTableUntilItIsReady() throws {
        let gate = DispatchSemaphore(value: 0)
        let allocator = SlotTableAllocator(populate: { table in
            gate.wait()
            SlotTableAllocator.populate(table)
        })
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: 1024, tables: allocator)
        let now: UInt32 = 9
        for number in 0..<800 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "w-\(number)"), stamp: now, now: now))
        }
        XCTAssertFalse(index.isResizing, "the resize began at 3/4 full without its prepared table")
        XCTAssertEqual(index.memoryBytes, (1024 + 2048) * 8, "the table being prepared is not counted")
        gate.signal()
        let deadline = Date().addingTimeInterval(20)
        while !index.nextTableIsPrepared && Date() < deadline { usleep(1000) }
        XCTAssertTrue(index.nextTableIsPrepared, "the released preparation never finished")
        XCTAssertTrue(index.insert(KeyFingerprint("c", "w-800"), stamp: now, now: now))
        XCTAssertTrue(index.isResizing, "the resize did not begin once the table was ready")
        XCTAssertFalse(index.nextTableIsPrepared, "the resize did not take the prepared table")
        for number in 801..<1200 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "w-\(number)"), stamp: now, now: now))
        }
        XCTAssertFalse(index.isResizing)
        for number in 0..<1200 {
            XCTAssertFalse(index.insert(KeyFingerprint("c", "w-\(number)"), stamp: now, now: now), "w-\(number) forgotten")
        }
        XCTAssertEqual(index.count, 1200)
    }

    func testIndexTakesALazyTableAtSevenEighthsAndAbandonsTheSlowPreparation() throws {
        let gate = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let allocator = SlotTableAllocator(populate: { table in
            gate.wait()
            SlotTableAllocator.populate(table)
            finished.signal()
        })
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: 1024, tables: allocator)
        let now: UInt32 = 9
        // 7/8 of 1024 is 896: the insert that would make it 897 starts the resize.
        for number in 0..<896 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "z-\(number)"), stamp: now, now: now))
        }
        XCTAssertFalse(index.isResizing, "the resize began before 7/8 full without its prepared table")
        XCTAssertTrue(index.insert(KeyFingerprint("c", "z-896"), stamp: now, now: now))
        XCTAssertTrue(index.isResizing, "the resize still waited at 7/8 full")
        XCTAssertEqual(index.memoryBytes, (2048 + 1024) * 8, "the abandoned preparation is still counted")
        gate.signal()
        XCTAssertEqual(finished.wait(timeout: .now() + 20), .success)
        // The abandoned table is unmapped right after its populate returns, never handed over.
        let until = Date().addingTimeInterval(0.2)
        while !allocator.hasPreparedTable && Date() < until { usleep(1000) }
        XCTAssertFalse(allocator.hasPreparedTable, "the abandoned preparation kept its table")
        for number in 897..<1500 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "z-\(number)"), stamp: now, now: now))
        }
        for number in 0..<1500 {
            XCTAssertFalse(index.insert(KeyFingerprint("c", "z-\(number)"), stamp: now, now: now), "z-\(number) forgotten")
        }
        XCTAssertEqual(index.count, 1500)
    }
}
