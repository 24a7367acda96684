import Foundation
import Synchronization
import XCTest
@testable import FanHeatStorage

/// Segments prepared ahead (zero-filled files the writer renames into place): writes stay
/// inside them, readers stop at what was written, recovery cuts the zeros and torn
/// records, and rolls keep every record.
final class SegmentPreallocationTests: LogDirectoryTestCase {
    private func open(segmentBytes: Int, visit: (LogRecordView) -> Void = { _ in }) throws -> ActivityLog {
        try open({ $0.segmentBytes = segmentBytes }, visit: visit)
    }

    private func readAll(_ log: ActivityLog) throws -> [String] {
        var result: [String] = []
        _ = try log.read(from: log.earliestOffset, maxCount: .max, maxBytes: .max) { record in
            result.append(String(decoding: record.payload, as: UTF8.self))
        }
        return result
    }

    private func waitUntilPrepared(_ log: ActivityLog) {
        let deadline = Date().addingTimeInterval(10)
        while !log.nextSegmentIsPrepared && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        XCTAssertTrue(log.nextSegmentIsPrepared, "no prepared segment within 10 s")
    }

    private func segmentFiles() throws -> [(name: String, size: Int)] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") }.sorted().map {
            ($0, try FileManager.default.attributesOfItem(atPath: directory + "/" + $0)[.size] as! Int)
        }
    }

    private func recordBytes(_ payloads: [String]) -> Int {
        payloads.reduce(0) { $0 + LogRecordFormat.headerSize + $1.utf8.count }
    }

    func testZeroHeaderIsNotARecord() {
        let zeros = [UInt8](repeating: 0, count: 64)
        zeros.withUnsafeBytes { raw in
            guard case .corrupt = LogFrameParse.parse(raw, verify: true) else {
                return XCTFail("a zero-filled header parsed as a record")
            }
        }
    }

    func testEmptyFirstSegmentIsReplacedByThePreparedFileAndRecoveryCutsTheZeros() throws {
        let segmentBytes = 64 << 10
        let log = try open(segmentBytes: segmentBytes)
        waitUntilPrepared(log)
        let payloads = ["one", "two", "three"]
        try append(log, payloads)
        // The writes went into the prepared file, which replaced the empty first segment.
        XCTAssertEqual(try segmentFiles().map(\.name), [LogSegment.fileName(baseOffset: 0)])
        XCTAssertEqual(try segmentFiles().first?.size, segmentBytes)
        // Readers stop at what was written, not at the end of the zeros.
        XCTAssertEqual(try readAll(log), payloads)
        waitUntilPrepared(log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/" + SegmentPreparer.temporaryName))
        log.close()

        var visited: [UInt64] = []
        let reopened = try open(segmentBytes: segmentBytes, visit: { visited.append($0.offset) })
        XCTAssertEqual(visited, [0, 1, 2])
        XCTAssertEqual(try segmentFiles().first?.size, recordBytes(payloads), "recovery cut the zeros after the records")
        try append(reopened, ["four"])
        XCTAssertEqual(try readAll(reopened), payloads + ["four"])
        reopened.close()
    }

    /// Commits into a prepared file are padded with zeros to a page boundary (so the kernel
    /// never reads a partly covered page first); the padding is not part of the segment.
    func testCommitsIntoPreparedFilesArePaddedToAPageWithZeros() throws {
        let log = try open(segmentBytes: 64 << 10)
        waitUntilPrepared(log)
        try append(log, ["first"])
        try append(log, ["second", "third"])
        let path = directory + "/" + LogSegment.fileName(baseOffset: 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let written = recordBytes(["first", "second", "third"])
        XCTAssertEqual(bytes.count, 64 << 10)
        XCTAssertTrue(bytes[written...].allSatisfy { $0 == 0 }, "padding and the prepared rest are zeros")
        XCTAssertEqual(try readAll(log), ["first", "second", "third"])
        XCTAssertEqual(log.totalBytes, written)
        log.close()
    }

    func testPaddedWriteWritesTheBytesThenZeros() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = try LogFile(path: directory + "/padded", create: true)
        try [UInt8](repeating: 0xEE, count: 8192).withUnsafeBytes { try file.write($0, at: 0) }
        try [UInt8]("payload".utf8).withUnsafeBytes { try file.write($0, zeroPadding: 4096 - 10 - 7, at: 10) }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/padded")))
        XCTAssertEqual(Array(bytes[0..<10]), [UInt8](repeating: 0xEE, count: 10))
        XCTAssertEqual(Array(bytes[10..<17]), Array("payload".utf8))
        XCTAssertTrue(bytes[17..<4096].allSatisfy { $0 == 0 })
        XCTAssertEqual(Array(bytes[4096...]), [UInt8](repeating: 0xEE, count: 4096))
    }

    func testTornRecordInsidePreparedSegmentIsCut() throws {
        let segmentBytes = 64 << 10
        let log = try open(segmentBytes: segmentBytes)
        waitUntilPrepared(log)
        try append(log, ["alpha", "beta"])
        log.close()
        // A crash in the middle of the next commit: the first 30 bytes of a record header
        // reached the disk, followed by the prepared zeros.
        let path = directory + "/" + LogSegment.fileName(baseOffset: 0)
        let handle = FileHandle(forWritingAtPath: path)!
        try handle.seek(toOffset: UInt64(recordBytes(["alpha", "beta"])))
        handle.write(Data([UInt8](repeating: 0x7B, count: 30)))
        try handle.close()

        let reopened = try open(segmentBytes: segmentBytes)
        XCTAssertEqual(reopened.durableEnd, 2)
        XCTAssertEqual(try readAll(reopened), ["alpha", "beta"])
        XCTAssertEqual(try segmentFiles().first?.size, recordBytes(["alpha", "beta"]))
        try append(reopened, ["gamma"])
        XCTAssertEqual(try readAll(reopened), ["alpha", "beta", "gamma"])
        reopened.close()
    }

    /// Rolls into prepared files (and into plain ones when the writer outruns the
    /// preparer) keep every record; a reopen, which refuses a rolled segment with anything
    /// after its last record, visits them all.
    func testRollsIntoPreparedSegmentsKeepEveryRecordAcrossReopen() throws {
        let segmentBytes = 4096
        let log = try open(segmentBytes: segmentBytes)
        var expected: [String] = []
        for round in 0..<200 {
            // Mostly with a prepared file ready; every fourth round the writer may roll
            // into a plain file and then early into the next prepared one.
            if round % 4 != 0 { waitUntilPrepared(log) }
            let batch = (0..<(1 + round % 7)).map { "r\(round)-\($0)-" + String(repeating: "q", count: 20 + (round * 37) % 400) }
            try append(log, batch)
            expected += batch
        }
        XCTAssertEqual(try readAll(log), expected)
        XCTAssertGreaterThan(try segmentFiles().count, 10)
        log.close()

        var visited = 0
        let reopened = try open(segmentBytes: segmentBytes, visit: { _ in visited += 1 })
        XCTAssertEqual(visited, expected.count)
        try append(reopened, ["after"])
        XCTAssertEqual(try readAll(reopened), expected + ["after"])
        reopened.close()
    }

    /// A segment size that is not a multiple of 4 KiB: prepared files are longer than the
    /// segment size, so a rolled segment's zeros must be cut before the next one starts
    /// (recovery refuses anything after the last record of a segment that is not the last).
    func testRollsFromPreparedFilesLongerThanTheSegmentSizeCutTheirZeros() throws {
        let log = try open(segmentBytes: 1000)
        var expected: [String] = []
        for round in 0..<30 {
            waitUntilPrepared(log)
            let batch = ["odd-\(round)-" + String(repeating: "w", count: 300), "odd-\(round)-b"]
            try append(log, batch)
            expected += batch
        }
        let files = try segmentFiles()
        XCTAssertGreaterThan(files.count, 5)
        for file in files.dropLast() {
            XCTAssertLessThan(file.size, 4096, "\(file.name) kept its prepared zeros")
        }
        log.close()
        var visited = 0
        let reopened = try open(segmentBytes: 1000, visit: { _ in visited += 1 })
        XCTAssertEqual(visited, expected.count)
        XCTAssertEqual(try readAll(reopened), expected)
        reopened.close()
    }

    func testLeftoverPreparedFileIsRemovedOnOpen() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let leftover = directory + "/" + SegmentPreparer.temporaryName
        try Data("half-prepared".utf8).write(to: URL(fileURLWithPath: leftover))
        var configuration = LogConfiguration(directory: directory)
        configuration.preallocateSegments = false
        let log = try ActivityLog(configuration: configuration)
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover))
        log.close()
    }

    /// A preparation that fails is reported with its cause and counted, and the log goes
    /// on with a growing segment.
    func testFailedPreparationIsReportedAndTheLogGoesOn() throws {
        // A directory where the prepared file should go makes creating it fail.
        try FileManager.default.createDirectory(atPath: directory + "/" + SegmentPreparer.temporaryName,
                                                withIntermediateDirectories: true)
        let messages = Mutex<[String]>([])
        var configuration = LogConfiguration(directory: directory)
        configuration.segmentBytes = 64 << 10
        configuration.reportPreparationFailure = { message in messages.withLock { $0.append(message) } }
        let log = try ActivityLog(configuration: configuration)
        let deadline = Date().addingTimeInterval(10)
        while log.segmentPreparationFailures == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        XCTAssertEqual(log.segmentPreparationFailures, 1)
        let reported = messages.withLock { $0 }
        XCTAssertEqual(reported.count, 1)
        XCTAssertTrue(reported.first?.contains(SegmentPreparer.temporaryName) ?? false, "\(reported)")
        try append(log, ["still", "stored"])
        XCTAssertEqual(try readAll(log), ["still", "stored"])
        XCTAssertFalse(log.nextSegmentIsPrepared)
        log.close()
    }

    func testClosingStopsAPreparationInProgress() throws {
        // A large segment takes a while to zero-fill; close must not wait for all of it.
        let log = try open(segmentBytes: 1 << 30)
        let started = Date()
        log.close()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertFalse(log.nextSegmentIsPrepared)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/" + SegmentPreparer.temporaryName),
                       "the unfinished prepared file was deleted")
    }
}
