import XCTest
import FanHeatStorage
@testable import IngestCore

/// The membership cache's fingerprint set against the standard library's Set: random
/// inserts and removals (with colliding home slots and a zero first word), growth, and
/// deletion by backward shift keeping every other member findable.
final class FingerprintSetTests: XCTestCase {
    func testMatchesStandardSetUnderRandomInsertsAndRemovals() {
        var generator = SystemRandomNumberGenerator()
        var set = FingerprintSet()
        var reference = Set<KeyFingerprint>()
        // Few distinct low bits in `high` so that probe runs are long and wrap around; a
        // first word of 0 (stored as 1, so 1 itself is never drawn) now and then.
        func randomKey() -> KeyFingerprint {
            var high = UInt64.random(in: 2...4000, using: &generator)
            if UInt64.random(in: 0...30, using: &generator) == 0 { high = 0 }
            return KeyFingerprint(high: high, low: UInt64.random(in: 0...2, using: &generator))
        }
        for step in 0..<30000 {
            let key = randomKey()
            if Bool.random(using: &generator) || step < 2000 {
                XCTAssertEqual(set.insert(key), reference.insert(key).inserted, "insert \(key)")
            } else {
                XCTAssertEqual(set.remove(key), reference.remove(key) != nil, "remove \(key)")
            }
            XCTAssertEqual(set.count, reference.count)
            if step % 997 == 0 {
                for member in reference { XCTAssertTrue(set.contains(member), "lost \(member) at step \(step)") }
                for _ in 0..<200 {
                    let probe = randomKey()
                    XCTAssertEqual(set.contains(probe), reference.contains(probe))
                }
            }
        }
    }

    func testMembersFromRealIdsAndRemovalOfEveryOther() {
        var set = FingerprintSet()
        for number in 0..<10000 { XCTAssertTrue(set.insert(KeyFingerprint("m-\(number)"))) }
        XCTAssertFalse(set.insert(KeyFingerprint("m-7")))
        for number in stride(from: 0, to: 10000, by: 2) { XCTAssertTrue(set.remove(KeyFingerprint("m-\(number)"))) }
        XCTAssertFalse(set.remove(KeyFingerprint("m-0")))
        XCTAssertEqual(set.count, 5000)
        for number in 0..<10000 { XCTAssertEqual(set.contains(KeyFingerprint("m-\(number)")), number % 2 == 1, "m-\(number)") }
    }
}
