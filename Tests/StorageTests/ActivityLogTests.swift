import Foundation
import XCTest
@testable import FanHeatStorage

final class ActivityLogTests: LogDirectoryTestCase {

    private func readAll(_ log: ActivityLog, from offset: UInt64 = 0) throws -> [(UInt64, String)] {
        var result: [(UInt64, String)] = []
        _ = try log.read(from: offset, maxCount: .max, maxBytes: .max) { record in
            result.append((record.offset, String(decoding: record.payload, as: UTF8.self)))
        }
        return result
    }

    func testAppendedRecordsReadBackWithDenseOffsetsAndSurviveReopen() throws {
        let log = try open()
        XCTAssertEqual(try append(log, ["a", "bb", "ccc"]), 3)
        XCTAssertEqual(try append(log, ["dddd"]), 4)
        XCTAssertEqual(log.durableEnd, 4)
        let records = try readAll(log, from: 1)
        XCTAssertEqual(records.map(\.0), [1, 2, 3])
        XCTAssertEqual(records.map(\.1), ["bb", "ccc", "dddd"])
        log.close()

        var visited: [UInt64] = []
        let reopened = try open(visit: { visited.append($0.offset) })
        XCTAssertEqual(visited, [0, 1, 2, 3])
        XCTAssertEqual(reopened.durableEnd, 4)
        XCTAssertEqual(try append(reopened, ["e"]), 5)
        XCTAssertEqual(try readAll(reopened).map(\.1), ["a", "bb", "ccc", "dddd", "e"])
        reopened.close()
    }

    func testOneBatchLargerThanThePendingBufferGrowsItAndKeepsEveryRecord() throws {
        // 3,000 records of ~1 KiB in one appender: ~3 MiB against a 1 MiB pending buffer, so
        // the appender's cursor has to move to a grown buffer twice in the middle of a batch.
        let log = try open()
        let payloads = (0..<3000).map { "\($0)-" + String(repeating: Character(UnicodeScalar(UInt8(97 + $0 % 26))), count: 1000) }
        XCTAssertEqual(try append(log, payloads), 3000)
        let records = try readAll(log)
        XCTAssertEqual(records.count, 3000)
        XCTAssertTrue(records.map(\.0) == (0..<UInt64(3000)).map { $0 }, "offsets are not 0..<3000 in order")
        XCTAssertTrue(records.map(\.1) == payloads, "payloads differ from what was appended")
        log.close()
        XCTAssertTrue(try readAll(try open()).map(\.1) == payloads, "the records do not survive a reopen (checksums verified)")
    }

    func testRecordsAppendedBeforeTheBodyThrowsStayPendingAndBecomeDurable() throws {
        let log = try open()
        XCTAssertThrowsError(try log.withAppender { (appender: inout LogAppender) throws(LogError) in
            for payload in ["kept-1", "kept-2"] {
                var text = payload
                _ = text.withUTF8 { appender.append(payload: UnsafeRawBufferPointer($0), key: KeyFingerprint("club", payload)) }
            }
            throw LogError("the body gave up")
        })
        XCTAssertEqual(log.appendedEnd, 2)
        XCTAssertEqual(try append(log, ["after"]), 3)
        XCTAssertEqual(try readAll(log).map(\.1), ["kept-1", "kept-2", "after"])
        log.close()
    }

    func testConcurrentAppendersShareSyncsAndAllComplete() throws {
        let log = try open()
        let callers = 16
        let perCaller = 200
        let done = expectation(description: "all durable")
        done.expectedFulfillmentCount = callers * perCaller
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for index in 0..<perCaller {
                let payload = "\(caller)-\(index)"
                let end = try! log.withAppender { appender in
                    var text = payload
                    _ = text.withUTF8 { appender.append(payload: UnsafeRawBufferPointer($0), key: KeyFingerprint("c", payload)) }
                }.end
                log.whenDurable(through: end) { error in
                    XCTAssertNil(error)
                    XCTAssertGreaterThanOrEqual(log.durableEnd, end)
                    done.fulfill()
                }
            }
        }
        wait(for: [done], timeout: 30)
        let records = try readAll(log)
        XCTAssertEqual(records.count, callers * perCaller)
        XCTAssertEqual(records.map(\.0), (0..<UInt64(callers * perCaller)).map { $0 })
        XCTAssertEqual(Set(records.map(\.1)).count, callers * perCaller)
        log.close()
    }

    private func segmentPath() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }.sorted()
        return directory + "/" + names.last!
    }

    func testTornTailIsTruncatedOnRecovery() throws {
        // Without preallocation the file ends where the records end (see
        // SegmentPreallocationTests for torn records inside a prepared file).
        let log = try open { $0.preallocateSegments = false }
        _ = try append(log, ["first", "second", "third"])
        log.close()
        let path = try segmentPath()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        // Cut the last record in half, as a crash during its write would.
        let handle = FileHandle(forWritingAtPath: path)!
        try handle.truncate(atOffset: UInt64(size - 3))
        try handle.close()

        let reopened = try open { $0.preallocateSegments = false }
        XCTAssertEqual(reopened.durableEnd, 2)
        XCTAssertEqual(try readAll(reopened).map(\.1), ["first", "second"])
        XCTAssertEqual(try append(reopened, ["again"]), 3)
        XCTAssertEqual(try readAll(reopened).map(\.1), ["first", "second", "again"])
        reopened.close()
    }

    func testCorruptLastRecordAndTrailingGarbageAreTruncated() throws {
        let log = try open { $0.preallocateSegments = false }
        _ = try append(log, ["alpha", "beta"])
        log.close()
        let path = try segmentPath()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 1] ^= 0xFF
        bytes += [UInt8](repeating: 0, count: 100)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let reopened = try open { $0.preallocateSegments = false }
        XCTAssertEqual(try readAll(reopened).map(\.1), ["alpha"])
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        XCTAssertEqual(size, LogRecordFormat.headerSize + 5)
        reopened.close()
    }

    func testSegmentsRollAndRetentionBySizeMovesEarliestOffset() throws {
        let log = try open { configuration in
            configuration.segmentBytes = 200
            configuration.retentionBytes = 400
        }
        for round in 0..<20 {
            _ = try append(log, ["record-\(round)-\(String(repeating: "x", count: 60))"])
        }
        log.applyRetention(now: LogClock.nowMilliseconds())
        XCTAssertGreaterThan(log.earliestOffset, 0)
        XCTAssertLessThanOrEqual(log.totalBytes, 400 + 200)
        XCTAssertEqual(log.checkReadable(from: 0), .beforeRetention(earliest: log.earliestOffset))
        XCTAssertEqual(log.checkReadable(from: 21), .beyondEnd(end: 20))
        let records = try readAll(log, from: log.earliestOffset)
        XCTAssertEqual(records.first?.0, log.earliestOffset)
        XCTAssertEqual(records.last?.0, 19)
        let earliest = log.earliestOffset
        log.close()

        let reopened = try open()
        XCTAssertEqual(reopened.earliestOffset, earliest)
        XCTAssertEqual(reopened.durableEnd, 20)
        reopened.close()
    }

    /// Many small segment rolls with batches of varied sizes keep every record exactly,
    /// across a reopen that appends after the recovered end.
    func testManyRollsKeepEveryRecordAcrossReopen() throws {
        // Without preallocation, so that rolls happen only at the segment size (see
        // SegmentPreallocationTests for rolls into prepared files).
        let configure: (inout LogConfiguration) -> Void = { $0.segmentBytes = 4096; $0.preallocateSegments = false }
        let log = try open(configure)
        var expected: [String] = []
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        for round in 0..<400 {
            let batch = (0..<(1 + next(12))).map { index in
                "r\(round)-\(index)-" + String(repeating: Character(UnicodeScalar(UInt8(97 + next(26)))), count: 1 + next(300))
            }
            _ = try append(log, batch)
            expected += batch
        }
        XCTAssertEqual(try readAll(log).map(\.1), expected)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }
        let sizes = try names.map { try FileManager.default.attributesOfItem(atPath: directory + "/" + $0)[.size] as! Int }
        XCTAssertGreaterThan(names.count, 20)
        XCTAssertEqual(sizes.filter { $0 >= 4096 }.count, names.count - 1, "every rolled segment reached the segment size")
        log.close()

        var visited: [UInt64] = []
        let reopened = try open(configure, visit: { visited.append($0.offset) })
        XCTAssertEqual(visited, Array(0..<UInt64(expected.count)))
        XCTAssertEqual(try append(reopened, ["after-reopen"]), UInt64(expected.count + 1))
        XCTAssertEqual(try readAll(reopened).map(\.1), expected + ["after-reopen"])
        reopened.close()
    }

    func testRetentionByAgeKeepsTheActiveSegment() throws {
        let log = try open { configuration in
            configuration.segmentBytes = 100
            configuration.retentionMilliseconds = 1
        }
        for round in 0..<5 { _ = try append(log, ["aged-\(round)-\(String(repeating: "y", count: 80))"]) }
        Thread.sleep(forTimeInterval: 0.01)
        log.applyRetention(now: LogClock.nowMilliseconds())
        XCTAssertEqual(log.segmentCount, 1)
        XCTAssertEqual(log.earliestOffset, 4)
        XCTAssertEqual(try readAll(log, from: 4).count, 1)
        log.close()
    }

    func testReadHonoursCountAndByteLimitsAcrossSegments() throws {
        let log = try open { $0.segmentBytes = 150 }
        for round in 0..<10 { _ = try append(log, ["r\(round)" + String(repeating: "z", count: 50)]) }
        var offsets: [UInt64] = []
        XCTAssertEqual(try log.read(from: 2, maxCount: 5, maxBytes: .max) { offsets.append($0.offset) }, 5)
        XCTAssertEqual(offsets, [2, 3, 4, 5, 6])
        offsets = []
        XCTAssertEqual(try log.read(from: 0, maxCount: 100, maxBytes: 100) { offsets.append($0.offset) }, 2)
        XCTAssertEqual(offsets, [0, 1])
        XCTAssertEqual(try log.read(from: 10, maxCount: 10, maxBytes: .max) { _ in }, 0)
        log.close()
    }

    func testTailWaiterWakesOnNewDurableRecord() async throws {
        let log = try open()
        let waiter = Task { await log.waitForRecords(from: 0) }
        try await Task.sleep(for: .milliseconds(50))
        let (_, end) = try log.withAppender { appender in
            var text = "tail"
            _ = text.withUTF8 { appender.append(payload: UnsafeRawBufferPointer($0), key: KeyFingerprint("c", "tail")) }
        }
        try await log.waitUntilDurable(through: end)
        await waiter.value
        XCTAssertEqual(log.durableEnd, 1)
        log.close()
    }

    /// Appends one record without waiting for it; returns the log's end after it.
    private func appendWithoutWaiting(_ log: ActivityLog, _ payload: String) throws -> UInt64 {
        try log.withAppender { appender in
            var text = payload
            _ = text.withUTF8 { appender.append(payload: UnsafeRawBufferPointer($0), key: KeyFingerprint("club", payload)) }
        }.end
    }

    /// Seconds until every record below `end` is durable.
    private func secondsUntilDurable(_ log: ActivityLog, through end: UInt64) -> Double {
        let started = Date()
        let done = expectation(description: "durable")
        log.whenDurable(through: end) { error in
            XCTAssertNil(error)
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        return Date().timeIntervalSince(started)
    }

    func testAppendsWithinTheCommitIntervalShareOneDelayedCommit() throws {
        let log = try open { $0.minimumCommitInterval = .seconds(1) }
        // The first commit has no earlier one to keep a distance from: not delayed.
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "first")), 0.5)
        let commitsBefore = log.groupCommits
        let ends = try ["b", "c", "d"].map { try appendWithoutWaiting(log, $0) }
        XCTAssertGreaterThan(secondsUntilDurable(log, through: ends.last!), 0.5, "waits out the interval")
        XCTAssertEqual(log.groupCommits, commitsBefore + 1, "the three records share one write and fdatasync")
        // After a quiet spell longer than the interval, the next commit starts at once.
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "after a pause")), 0.5)
        XCTAssertEqual(try readAll(log).map(\.1), ["first", "b", "c", "d", "after a pause"])
        log.close()
    }

    func testCommitIntervalAppliesOnlyAfterABusyCommit() throws {
        let log = try open {
            $0.minimumCommitInterval = .seconds(1)
            $0.commitIntervalMinimumBytes = 16 << 10
        }
        // Small commits (a lone client) are never delayed, however close together.
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "one")), 0.5)
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "two")), 0.5)
        // A commit of 16 KiB or more: the next one waits out the interval, gathering.
        let big = String(repeating: "x", count: 20 << 10)
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, big)), 0.5)
        let commitsBefore = log.groupCommits
        let ends = try ["b", "c", "d"].map { try appendWithoutWaiting(log, $0) }
        XCTAssertGreaterThan(secondsUntilDurable(log, through: ends.last!), 0.5, "waits out the interval after a busy commit")
        XCTAssertEqual(log.groupCommits, commitsBefore + 1, "the three records share one write and fdatasync")
        // That commit was small again: the next one starts at once.
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "e")), 0.5)
        XCTAssertEqual(try readAll(log).map(\.1), ["one", "two", big, "b", "c", "d", "e"])
        log.close()
    }

    func testZeroIntervalCommitsBackToBack() throws {
        let log = try open { $0.minimumCommitInterval = .zero }
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "one")), 0.5)
        XCTAssertLessThan(secondsUntilDurable(log, through: try appendWithoutWaiting(log, "two")), 0.5)
        XCTAssertEqual(log.groupCommits, 2)
        log.close()
    }

    func testCloseCommitsRecordsGatheredForADelayedCommit() throws {
        let log = try open { $0.minimumCommitInterval = .seconds(5) }
        _ = try append(log, ["first"])
        let end = try appendWithoutWaiting(log, "gathered")
        Thread.sleep(forTimeInterval: 0.2)  // the writer is now waiting out the interval
        XCTAssertLessThan(log.durableEnd, end)
        let started = Date()
        log.close()
        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "close does not wait out the interval")
        XCTAssertEqual(log.durableEnd, end)
        let reopened = try open()
        XCTAssertEqual(try readAll(reopened).map(\.1), ["first", "gathered"])
        reopened.close()
    }
}
