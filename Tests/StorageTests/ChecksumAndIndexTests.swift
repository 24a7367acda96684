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

    func testHardwareAndPortableCRC32CAgreeOnEveryLengthAndAlignment() {
        #if arch(x86_64)
        XCTAssertTrue(CRC32C.usesHardware, "an x86-64 CPU without SSE4.2 is not expected here")
        #endif
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<700).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { raw in
            for start in 0..<9 {
                for length in 0..<(raw.count - start) where length < 80 || length % 37 == 0 {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    let seed = UInt32(truncatingIfNeeded: length &* 2_654_435_761)
                    XCTAssertEqual(CRC32C.update(seed, slice), CRC32C.portableUpdate(seed, slice), "start \(start) length \(length)")
                }
            }
        }
        var vector = Array("123456789".utf8)
        XCTAssertEqual(vector.withUnsafeBytes { CRC32C.portableUpdate(0, $0) }, 0xE306_9283)
        vector.removeAll()
        XCTAssertEqual(CRC32C.checksum(vector), 0)
    }

    func testFingerprintSeparatesPartsAndIsStable() {
        XCTAssertNotEqual(KeyFingerprint("ab", "c"), KeyFingerprint("a", "bc"))
        XCTAssertEqual(KeyFingerprint("club-1", "event-1"), KeyFingerprint("club-1", "event-1"))
        XCTAssertNotEqual(KeyFingerprint("club-1", "event-1"), KeyFingerprint("club-1", "event-2"))
        let long = String(repeating: "0123456789", count: 10)
        XCTAssertNotEqual(KeyFingerprint(long), KeyFingerprint(long + "x"))
    }

    /// The fingerprints are stored in every log record, so the fast hashing paths must stay
    /// bit-identical to plain MurmurHash3 x64-128 over the joined bytes.
    func testFingerprintMatchesReferenceMurmur3() {
        var state: UInt64 = 0x1234_5678
        func nextByte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in nextByte() }
            let split = length / 3
            let reference = Self.referenceMurmur3(Array(bytes[..<split]) + [0xFF] + Array(bytes[split...]))
            let whole = bytes.withUnsafeBytes { KeyFingerprint($0) }
            XCTAssertEqual(whole, Self.referenceMurmur3(bytes), "length \(length)")
            let joined = bytes.withUnsafeBytes { raw in
                KeyFingerprint(parts: UnsafeRawBufferPointer(rebasing: raw[..<split]), UnsafeRawBufferPointer(rebasing: raw[split...]))
            }
            XCTAssertEqual(joined, reference, "parts, length \(length)")
        }
        XCTAssertEqual(Self.referenceMurmur3(Array("hello".utf8)).high, 0xcbd8_a7b3_41bd_9b02)
        let long = [UInt8](repeating: 0x61, count: 600)
        XCTAssertEqual(long.withUnsafeBytes { raw in
            KeyFingerprint(parts: UnsafeRawBufferPointer(rebasing: raw[..<500]), UnsafeRawBufferPointer(rebasing: raw[500...]))
        }, Self.referenceMurmur3(Array(long[..<500]) + [0xFF] + Array(long[500...])))
        var members = Set<KeyFingerprint>()
        for number in 0..<1000 { members.insert(KeyFingerprint("m-\(number)")) }
        XCTAssertEqual(members.count, 1000)
        XCTAssertTrue(members.contains(KeyFingerprint("m-999")))
        XCTAssertFalse(members.contains(KeyFingerprint("m-1000")))
    }

    /// MurmurHash3_x64_128 with seed 0, written plainly from the published algorithm.
    static func referenceMurmur3(_ data: [UInt8]) -> KeyFingerprint {
        let c1: UInt64 = 0x87c3_7b91_1142_53d5, c2: UInt64 = 0x4cf5_ad43_2745_937f
        func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
        func fmix(_ value: UInt64) -> UInt64 {
            var k = value
            k ^= k >> 33; k = k &* 0xff51_afd7_ed55_8ccd; k ^= k >> 33; k = k &* 0xc4ce_b9fe_1a85_ec53; k ^= k >> 33
            return k
        }
        func word(_ at: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<count { value |= UInt64(data[at + index]) << UInt64(8 * index) }
            return value
        }
        var h1: UInt64 = 0, h2: UInt64 = 0
        let blocks = data.count / 16
        for block in 0..<blocks {
            var k1 = word(block * 16, 8), k2 = word(block * 16 + 8, 8)
            k1 = k1 &* c1; k1 = rotl(k1, 31); k1 = k1 &* c2; h1 ^= k1
            h1 = rotl(h1, 27); h1 = h1 &+ h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 = k2 &* c2; k2 = rotl(k2, 33); k2 = k2 &* c1; h2 ^= k2
            h2 = rotl(h2, 31); h2 = h2 &+ h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        let rest = data.count - blocks * 16
        if rest > 8 {
            var k2 = word(blocks * 16 + 8, rest - 8)
            k2 = k2 &* c2; k2 = rotl(k2, 33); k2 = k2 &* c1; h2 ^= k2
        }
        if rest > 0 {
            var k1 = word(blocks * 16, min(rest, 8))
            k1 = k1 &* c1; k1 = rotl(k1, 31); k1 = k1 &* c2; h1 ^= k1
        }
        h1 ^= UInt64(data.count); h2 ^= UInt64(data.count)
        h1 = h1 &+ h2; h2 = h2 &+ h1
        h1 = fmix(h1); h2 = fmix(h2)
        h1 = h1 &+ h2; h2 = h2 &+ h1
        return KeyFingerprint(high: h1, low: h2)
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

    func testIndexSizedForExpectedKeysHoldsThemWithoutPreparingOrResizing() {
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: 0), 1 << 16)
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: -5), 1 << 16)
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: 32_768), 1 << 16)
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: 32_769), 1 << 17)
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: 100_000), 1 << 18)
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: RecentKeyIndex.maximumExpectedKeys), 1 << 32)
        XCTAssertEqual(RecentKeyIndex.capacity(forExpectedKeys: Int.max), 1 << 32)

        // Sized for 100,000 keys: all of them fit below half full, so no successor table is
        // planned or prepared and the memory stays the first table's 2 MiB.
        let keys = 100_000
        let capacity = RecentKeyIndex.capacity(forExpectedKeys: keys)
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: capacity)
        XCTAssertEqual(index.memoryBytes, capacity * 8)
        let now = RecentKeyIndex.stamp(forMilliseconds: 1_800_000_000_000)
        for number in 0..<keys {
            XCTAssertTrue(index.insert(KeyFingerprint("club", "e\(number)"), stamp: now, now: now))
        }
        XCTAssertEqual(index.count, keys)
        XCTAssertFalse(index.isResizing)
        XCTAssertFalse(index.nextTableIsPrepared)
        XCTAssertEqual(index.memoryBytes, capacity * 8, "a table was planned or prepared for keys the index was sized for")
        XCTAssertFalse(index.insert(KeyFingerprint("club", "e0"), stamp: now, now: now))

        // The same keys in a default-sized index make it grow.
        var growing = RecentKeyIndex(windowSeconds: 7 * 86400)
        for number in 0..<keys { _ = growing.insert(KeyFingerprint("club", "e\(number)"), stamp: now, now: now) }
        XCTAssertGreaterThan(growing.memoryBytes, 1 << 19, "the default index did not grow")
    }

    func testRecentKeyIndexRemembersExactlyTheWindowAcrossStampRebuilds() {
        // Stamps are 10 bits relative to a table's epoch, so a table is rebuilt every few
        // hundred hours even without growth. Over 3000 hours (several rebuilds) a key stays
        // a duplicate for exactly the 168-hour window and is new again one hour later.
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: 1024)
        var rebuilds = 0
        for hour in UInt32(5000)..<8000 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "h\(hour)"), stamp: hour, now: hour), "h\(hour) new")
            if index.isResizing { rebuilds += 1 }
            if hour >= 5168 {
                XCTAssertFalse(index.insert(KeyFingerprint("c", "h\(hour - 168)"), stamp: hour, now: hour), "h\(hour - 168) forgotten at \(hour)")
            }
            if hour >= 5169 {
                XCTAssertFalse(index.contains(KeyFingerprint("c", "h\(hour - 169)"), now: hour), "h\(hour - 169) kept at \(hour)")
            }
        }
        XCTAssertGreaterThanOrEqual(rebuilds, 4, "the table was never rebuilt for its stamps")
        XCTAssertLessThanOrEqual(index.memoryBytes, 2048 * 8)
    }

    func testRecentKeyIndexLongWindowKeepsKeysThroughARebuildThatInterruptsAMigration() {
        // A 400-day window counts stamps in 19-hour units. A resize starts at hour 0; the
        // next insert comes 5000 hours later, when the new table is due for a stamp rebuild
        // while the old one is still being migrated: the migration is finished first, and no
        // key inside the window is forgotten.
        let allocator = SlotTableAllocator(populate: { _ in })
        var index = RecentKeyIndex(windowSeconds: 400 * 86400, initialCapacity: 1024, tables: allocator)
        XCTAssertEqual(index.unitHours, 19)
        var number = 0
        while !index.isResizing {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "k-\(number)"), stamp: 0, now: 0))
            number += 1
        }
        let stored = number
        XCTAssertTrue(index.insert(KeyFingerprint("c", "late"), stamp: 5000, now: 5000))
        for earlier in 0..<stored {
            XCTAssertTrue(index.contains(KeyFingerprint("c", "k-\(earlier)"), now: 5000), "k-\(earlier) forgotten")
        }
        for earlier in 0..<stored {
            XCTAssertFalse(index.insert(KeyFingerprint("c", "k-\(earlier)"), stamp: 9600, now: 9600), "k-\(earlier) forgotten at 9600")
        }
        // 400 days = 9600 hours, rounded up to 506 units of 19 hours: gone after 9633 hours.
        XCTAssertTrue(index.insert(KeyFingerprint("c", "k-0"), stamp: 9633, now: 9633))
    }

    func testRecentKeyIndexResizesIncrementallyWithoutLosingKeys() {
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: 1024)
        let now: UInt32 = 500
        for number in 0..<20000 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "k-\(number)"), stamp: now, now: now), "k-\(number)")
            if number % 101 == 0 {
                // Every key so far is still a duplicate, whether a resize is in progress or not.
                for earlier in stride(from: 0, through: number, by: 37) {
                    XCTAssertFalse(index.insert(KeyFingerprint("c", "k-\(earlier)"), stamp: now, now: now), "k-\(earlier) after \(number)")
                }
            }
        }
        XCTAssertEqual(index.count, 20000)
        for number in 0..<20000 {
            XCTAssertTrue(index.contains(KeyFingerprint("c", "k-\(number)"), now: now), "k-\(number)")
        }
        XCTAssertFalse(index.contains(KeyFingerprint("c", "k-20000"), now: now))
        XCTAssertLessThanOrEqual(index.memoryBytes, 20000 * 8 * 8)
    }

    func testRecentKeyIndexFindsEveryKeyAtEveryStepOfAMigration() {
        // Keys with chosen home slots: a cluster at the end of the 1024-slot table wraps to
        // its start, so the migration (which starts at slot 0) moves wrapped entries first
        // while their home slots are still ahead of it. The old table may only be skipped
        // for keys whose whole probe run the migration has passed.
        var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: 1024)
        let now: UInt32 = 700
        var keys: [KeyFingerprint] = []
        var random = UInt64(0x5EED)
        func next() -> UInt64 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return random
        }
        for number in 0..<1500 {
            // A third of the keys crowd homes 1020...1023 and 0...3; the rest spread out.
            let home: UInt64 = number % 3 == 0 ? (UInt64(number / 3) % 8 + 1020) & 1023 : next() & 1023
            let key = KeyFingerprint(high: home | (next() & ~1023) | 1 << 63, low: next())
            XCTAssertTrue(index.insert(key, stamp: now, now: now), "key \(number)")
            keys.append(key)
            for (earlier, seen) in keys.enumerated() where !index.contains(seen, now: now) {
                XCTFail("key \(earlier) lost after inserting key \(number)")
                return
            }
        }
        for (number, key) in keys.enumerated() {
            XCTAssertFalse(index.insert(key, stamp: now, now: now), "key \(number) stored twice")
        }
        XCTAssertEqual(index.count, 1500)
    }

    func testRecentKeyIndexMemoryStaysBoundedWhenKeysExpire() {
        // 2-hour window, 3000 new keys every hour for 60 hours: at most ~9000 live keys.
        var index = RecentKeyIndex(windowSeconds: 2 * 3600, initialCapacity: 1024)
        var largest = 0
        for hour in 0..<60 {
            let now = UInt32(1000 + hour)
            for number in 0..<3000 {
                XCTAssertTrue(index.insert(KeyFingerprint("c", "h\(hour)-\(number)"), stamp: now, now: now))
            }
            XCTAssertFalse(index.insert(KeyFingerprint("c", "h\(hour)-0"), stamp: now, now: now))
            if hour > 0 { XCTAssertFalse(index.insert(KeyFingerprint("c", "h\(hour - 1)-7"), stamp: now, now: now)) }
            largest = max(largest, index.memoryBytes)
        }
        // Live keys need at most 2 x 9000 slots plus a resize in progress: never 60 hours' worth.
        XCTAssertLessThanOrEqual(largest, (32768 + 65536) * 8)
        XCTAssertLessThan(index.count, 3 * 9000)
    }

    func testRecentKeyIndexGrowsAndDropsExpiredEntriesOnRehash() {
        var index = RecentKeyIndex(windowSeconds: 3600, initialCapacity: 1024)
        let start: UInt32 = 100
        for number in 0..<5000 {
            XCTAssertTrue(index.insert(KeyFingerprint("c", "old-\(number)"), stamp: start, now: start))
        }
        XCTAssertEqual(index.count, 5000)
        XCTAssertGreaterThanOrEqual(index.memoryBytes, 5000 * 8 * 4 / 3)
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
