import XCTest
@testable import FanHeatTransport

/// The event loop's timer heap: due timers in deadline order, cancelled timers removed at
/// once (not left until their deadline), timers outliving their heap.
final class TimerHeapTests: XCTestCase {
    func testDueTimersComeOutInDeadlineOrderAndCancelledOnesLeaveAtOnce() {
        let heap = TimerHeapStorage()
        var generator = SystemRandomNumberGenerator()
        var timers: [LoopTimer] = []
        var fired: [UInt64] = []
        for _ in 0..<2000 {
            let deadline = UInt64.random(in: 1...1_000_000, using: &generator)
            let timer = LoopTimer(deadline: deadline) { fired.append(deadline) }
            heap.insert(timer)
            timers.append(timer)
        }
        // Cancel every third one (the way finished calls cancel their deadline timers).
        var cancelled = Set<ObjectIdentifier>()
        for (position, timer) in timers.enumerated() where position % 3 == 0 {
            timer.cancel()
            cancelled.insert(ObjectIdentifier(timer))
        }
        XCTAssertEqual(heap.count, 2000 - cancelled.count, "cancelled timers stayed in the heap")
        let live = timers.filter { !cancelled.contains(ObjectIdentifier($0)) }.map(\.deadline).sorted()
        XCTAssertEqual(heap.nextDeadline, live.first)
        var now: UInt64 = 0
        while now < 1_000_000 {
            now += 50_000
            for timer in heap.popDue(now: now) where !timer.cancelled { timer.action?() }
        }
        XCTAssertEqual(fired, live)
        XCTAssertEqual(heap.count, 0)
        XCTAssertNil(heap.nextDeadline)
    }

    func testCancellingTheEarliestAndAFiredTimerKeepsTheHeapValid() {
        let heap = TimerHeapStorage()
        let first = LoopTimer(deadline: 10) {}
        let second = LoopTimer(deadline: 20) {}
        let third = LoopTimer(deadline: 30) {}
        [third, first, second].forEach(heap.insert)
        first.cancel()
        XCTAssertEqual(heap.nextDeadline, 20)
        let due = heap.popDue(now: 25)
        XCTAssertEqual(due.map(\.deadline), [20])
        second.cancel()  // already fired and out of the heap: a no-op
        XCTAssertEqual(heap.count, 1)
        XCTAssertEqual(heap.nextDeadline, 30)
    }

    func testTimersOutliveTheirHeap() {
        var heap: TimerHeapStorage? = TimerHeapStorage()
        let timer = LoopTimer(deadline: 5) {}
        heap!.insert(timer)
        heap = nil
        timer.cancel()  // must not touch the freed heap
        XCTAssertTrue(timer.cancelled)
    }
}
