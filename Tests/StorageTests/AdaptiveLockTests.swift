import FanHeatSync
import XCTest

final class AdaptiveLockTests: XCTestCase {
    /// Threads that increment a shared counter and a non-atomic pair under the lock never
    /// lose an update and never see the pair half-written.
    func testMutualExclusionUnderContention() {
        struct Pair { var first = 0; var second = 0 }
        let lock = AdaptiveLock(Pair())
        let threads = 4, increments = 200_000
        let torn = AdaptiveLock(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<increments {
                let consistent = lock.withLock { pair -> Bool in
                    let ok = pair.first == pair.second
                    pair.first += 1
                    pair.second += 1
                    return ok
                }
                if !consistent { torn.withLock { $0 += 1 } }
            }
        }
        XCTAssertEqual(lock.withLock { $0.first }, threads * increments)
        XCTAssertEqual(lock.withLock { $0.second }, threads * increments)
        XCTAssertEqual(torn.withLock { $0 }, 0)
    }

    /// A body's typed error propagates and the lock is released after it.
    func testThrowingBodyReleasesTheLock() {
        struct Failure: Error {}
        let lock = AdaptiveLock([1, 2, 3])
        XCTAssertThrowsError(try lock.withLock { (values: inout [Int]) throws(Failure) in
            values.append(4)
            throw Failure()
        })
        XCTAssertEqual(lock.withLock { $0 }, [1, 2, 3, 4])
    }
}
