import FanHeatRPC
import FanHeatTransport
import Synchronization
import XCTest

/// The client channel against real servers on loopback: reconnect with backoff after a
/// server restart, round robin over several backends, and a dead backend skipped.
final class ClientChannelTests: XCTestCase {
    private static let group = EventLoopGroup(loopCount: 2)

    /// A server answering `/t.Echo/Who` with its own tag, counting the calls it served.
    private final class TaggedServer: Sendable {
        let server: GRPCServer
        let served = CallCounter()
        let address: String

        init(tag: UInt8, port: Int = 0) throws {
            var router = ServiceRouter()
            let served = self.served
            router.register(service: "t.Echo", method: "Who", kind: .unary, handler: .unaryCallback { _, _, responder in
                served.count.add(1, ordering: .relaxed)
                responder.succeed(serializedResponse: [tag])
            })
            server = GRPCServer(router: router, group: ClientChannelTests.group)
            address = try server.start(host: "127.0.0.1", port: port).description
        }

        var port: Int { Int(address.split(separator: ":").last!)! }

        func stop() {
            server.beginShutdown()
            _ = server.waitForConnections(grace: .seconds(1))
            server.closeAllConnections()
        }
    }

    private static func call(_ channel: HTTP2ClientChannel) async -> ClientCallResult {
        await withCheckedContinuation { continuation in
            channel.startUnaryCall(path: "/t.Echo/Who", requestBytes: [], timeout: .seconds(5)) { continuation.resume(returning: $0) }
        }
    }

    func testReconnectsAfterTheServerRestarts() async throws {
        let first = try TaggedServer(tag: 1)
        let channel = try HTTP2ClientChannel(target: first.address, group: Self.group)
        defer { channel.close() }
        let before = await Self.call(channel)
        XCTAssertEqual(before.status.code, .ok)
        XCTAssertEqual(before.response, [1])
        let port = first.port
        first.stop()

        let down = await Self.call(channel)
        XCTAssertEqual(down.status.code, .unavailable, "while the server is down: \(down.status)")

        let second = try TaggedServer(tag: 2, port: port)
        defer { second.stop() }
        var recovered: ClientCallResult?
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let result = await Self.call(channel)
            if result.status.code == .ok { recovered = result; break }
            XCTAssertEqual(result.status.code, .unavailable, "only UNAVAILABLE while backing off: \(result.status)")
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTAssertEqual(recovered?.response, [2], "the channel reconnected to the restarted server")
    }

    func testRoundRobinOverSeveralBackendsAndSkipsADeadOne() async throws {
        let a = try TaggedServer(tag: 1)
        let b = try TaggedServer(tag: 2)
        defer { a.stop() }
        let channel = try HTTP2ClientChannel(target: "\(a.address), \(b.address)", group: Self.group)
        defer { channel.close() }
        var tags: [UInt8: Int] = [:]
        for _ in 0..<20 {
            let result = await Self.call(channel)
            XCTAssertEqual(result.status.code, .ok)
            if let tag = result.response?.first { tags[tag, default: 0] += 1 }
        }
        XCTAssertEqual(tags, [1: 10, 2: 10], "calls alternate between the backends")

        b.stop()
        var failures = 0
        var servedByA = 0
        for _ in 0..<20 {
            let result = await Self.call(channel)
            if result.status.code == .ok { XCTAssertEqual(result.response, [1]); servedByA += 1 } else {
                XCTAssertEqual(result.status.code, .unavailable)
                failures += 1
            }
        }
        XCTAssertLessThanOrEqual(failures, 2, "a dead backend fails at most the calls that discover it")
        XCTAssertGreaterThanOrEqual(servedByA, 18)
    }

    func testInvalidTargetsAreRefused() {
        for target in ["nohost", "127.0.0.1:99999", "127.0.0.1:1,", ":7001"] {
            XCTAssertThrowsError(try HTTP2ClientChannel(target: target, group: Self.group), target)
        }
    }

    func testSecondListenerOnTheSamePortFails() throws {
        let first = try TaggedServer(tag: 1)
        defer { first.stop() }
        XCTAssertThrowsError(try TaggedServer(tag: 2, port: first.port), "the port is taken")
    }
}

/// Counts calls across threads.
final class CallCounter: Sendable {
    /// The number of calls.
    let count = Atomic<Int>(0)
}
