import XCTest
@testable import FanHeatStorage

final class ChecksumAndIndexTests: XCTestCase {
    func testCRC32CKnownVectors() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        let bytes = Array("The quick brown fox jumps over the lazy dog, twice over.".utf8)
        let whole = CRC32C.checksum(bytes)
        let split = bytes.withUnsafeBytes { raw in
            CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<13])), UnsafeRawBufferPointer(rebasing: raw[13...]))
        }
        XCTAssertEqual(whole, split)
    }

    func testFingerprintSeparatesPartsAndIsStable() {
        XCTAssertNotEqual(KeyFingerprint("ab", "c"), KeyFingerprint("a", "bc"))
        XCTAssertEqual(KeyFingerprint("club-1", "event-1"), KeyFingerprint("club-1", "event-1"))
        XCTAssertNotEqual(KeyFingerprint("club-1", "event-1"), KeyFingerprint("club-1", "event-2"))
        let long = String(repeating: "0123456789", count: 10)
        XCTAssertNotEqual(KeyFingerprint(long), KeyFingerprint(long + "x"))
    }

    func testRecentKeyIndexDetectsDuplicatesAndExpires() {
        var index = RecentKeyIndex(windowSeconds: 7 * 86400)
        let now = RecentKeyIndex.stamp(forMilliseconds: 1_800_000_000_000)
        let key = KeyFingerprint("club", "e1")
        XCTAssertTrue(index.insert(key, stamp: now, now: now))
        XCTAssertFalse(index.insert(key, stamp: now, now: now))
        XCTAssertTrue(index.contains(key, now: now &+ 168))
        XCTAssertFalse(index.contains(key, now: now &+ 169))
        XCTAssertTrue(index.insert(key, stamp: now &+ 169, now: now &+ 169))
        XCTAssertFalse(index.insert(key, stamp: now &+ 169, now: now &+ 169))
    }

    func testRecentKeyIndexGrowsAndDropsExpiredEntriesOnRehash() {
        var index = RecentKeyIndex(windowSeconds: 3600, initialCapacity: 1024)
        let start: UInt16 = 100
        for number in 0..<5000 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "old-\(number)"), stamp: start, now: start))
        }
        XCTAssertEqual(index.count, 5000)
        XCTAssertGreaterThanOrEqual(index.memoryBytes, 5000 * 16 * 4 / 3)
        for number in 0..<5000 where number % 997 == 0 {
            XCTAssertFalse(index.insert(KeyFingerprint("c", "old-\(number)"), stamp: start, now: start))
        }
        let later = start + 5
        for number in 0..<10000 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "new-\(number)"), stamp: later, now: later))
        }
        XCTAssertFalse(index.contains(KeyFingerprint("c", "old-1"), now: later))
        XCTAssertTrue(index.contains(KeyFingerprint("c", "new-1"), now: later))
        XCTAssertLessThanOrEqual(index.count, 15000)
    }
}
