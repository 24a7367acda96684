import FanHeatRPC
import Synchronization
import XCTest

final class MessageQueueTests: XCTestCase {
    func testDeliversInOrderAndReportsConsumption() async throws {
        let consumed = Mutex<[Int]>([])
        let queue = MessageQueue<Int> { value in consumed.withLock { $0.append(value) } }
        queue.push(1)
        queue.push(2)
        XCTAssertEqual(consumed.withLock { $0 }, [], "nothing is consumed before the reader reads")
        Task {
            try await Task.sleep(for: .milliseconds(20))
            queue.push(3)
            queue.finish()
        }
        var received: [Int] = []
        while let value = try await queue.next() { received.append(value) }
        XCTAssertEqual(received, [1, 2, 3])
        XCTAssertEqual(consumed.withLock { $0 }, [1, 2, 3])
    }

    func testFailureIsThrownAfterBufferedMessagesAreDropped() async {
        let queue = MessageQueue<Int>()
        queue.push(1)
        queue.fail(RPCError(code: .cancelled, message: "reset"))
        do {
            _ = try await queue.next()
            XCTFail("a failed queue returned a message")
        } catch {
            XCTAssertEqual((error as? RPCError)?.code, .cancelled)
        }
    }

    func testWaitingReaderIsCancelled() async {
        let queue = MessageQueue<Int>()
        let task = Task { try await queue.next() }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()
        let result = await task.result
        XCTAssertThrowsError(try result.get())
    }

    func testPromiseResumesEveryWaiter() async throws {
        let promise = AsyncPromise<Int>()
        async let first = promise.value()
        async let second = promise.value()
        try await Task.sleep(for: .milliseconds(10))
        promise.complete(.success(5))
        promise.complete(.success(6))
        let values = try await [first, second]
        XCTAssertEqual(values, [5, 5])
    }
}
