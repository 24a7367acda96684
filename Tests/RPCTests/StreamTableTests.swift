@testable import FanHeatTransport
import XCTest

/// The connection's open-addressing stream table against Swift's Dictionary, with
/// client-like ids (odd, increasing, some long-lived) and ids that collide on purpose.
final class StreamTableTests: XCTestCase {
    private final class Box {
        let id: Int32
        init(_ id: Int32) { self.id = id }
    }

    func testMatchesDictionaryUnderInsertsRemovesAndGrowth() {
        var table = StreamTable<Box>()
        var reference: [Int32: Box] = [:]
        var generator = SystemRandomNumberGenerator()
        var nextID: Int32 = 1
        for step in 0..<20_000 {
            if reference.count < 300 && (reference.isEmpty || Bool.random(using: &generator)) {
                let box = Box(nextID)
                table.insert(box, for: nextID)
                reference[nextID] = box
                nextID += 2
            } else if let victim = reference.keys.randomElement(using: &generator) {
                XCTAssertTrue(table.remove(victim) === reference.removeValue(forKey: victim), "step \(step)")
            }
            if step % 97 == 0 {
                // ids 128 apart share a home slot in a 64-slot table: long probe runs
                let colliding = nextID + 128
                XCTAssertNil(table[colliding])
                XCTAssertNil(table.remove(colliding))
            }
            XCTAssertEqual(table.count, reference.count)
        }
        for (id, box) in reference { XCTAssertTrue(table[id] === box) }
        XCTAssertEqual(Set(table.allValues.map(\.id)), Set(reference.keys))
        table.removeAll()
        XCTAssertTrue(table.isEmpty)
    }

    func testCollidingIDsSurviveRemovalInTheMiddleOfARun() {
        var table = StreamTable<Box>()
        let ids: [Int32] = [1, 129, 257, 385, 3, 131]   // 1, 129, 257, 385 share slot 0; 3 and 131 slot 1
        for id in ids { table.insert(Box(id), for: id) }
        XCTAssertEqual(table.remove(129)?.id, 129)
        XCTAssertEqual(table.remove(3)?.id, 3)
        for id in [1, 257, 385, 131] as [Int32] { XCTAssertEqual(table[id]?.id, id) }
        XCTAssertNil(table[129])
        XCTAssertNil(table[3])
        XCTAssertEqual(table.count, 4)
    }
}
