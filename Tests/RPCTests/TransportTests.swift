import FanHeatRPC
import FanHeatTransport
import Synchronization
import XCTest

final class TransportTests: XCTestCase {
    private static let group = EventLoopGroup(loopCount: 2)
    private var server: GRPCServer!
    private var address = ""
    private let cancelled = CancelLog()

    override func setUpWithError() throws {
        var router = ServiceRouter()
        router.register(service: "t.Echo", method: "Unary", kind: .unary, handler: .unaryCallback { bytes, context, responder in
            if let code = context.metadata.firstString(forKey: "x-fail").flatMap(Int.init).flatMap(StatusCode.init(rawValue:)) {
                responder.fail(RPCError(code: code, message: "failed as asked: ☺\n"))
                return
            }
            context.responseMetadata = context.metadata
            responder.succeed(serializedResponse: Array(bytes))
        })
        let cancelled = self.cancelled
        router.register(service: "t.Echo", method: "Loop", kind: .unary, handler: .unaryCallback { _, _, responder in
            let index = TransportTests.group.loops.firstIndex { $0.inEventLoop } ?? -1
            responder.succeed(serializedResponse: [UInt8(truncatingIfNeeded: index)])
        })
        router.register(service: "t.Echo", method: "Never", kind: .unary, handler: .unaryCallback { _, context, _ in
            context.onCancel { cancelled.paths.withLock { $0.append(context.path) } }
        })
        router.register(service: "t.Echo", method: "Slow", kind: .unary, handler: .streaming { requests, responses, context in
            for try await _ in requests {}
            try await Task.sleep(for: .seconds(5))
            try await responses.write([])
        })
        server = GRPCServer(router: router, group: Self.group)
        address = try server.start(host: "127.0.0.1", port: 0).description
    }

    override func tearDown() {
        server.beginShutdown()
        _ = server.waitForConnections(grace: .seconds(2))
        server.closeAllConnections()
    }

    private static func call(_ channel: HTTP2ClientChannel, _ path: String, _ body: [UInt8], metadata: Metadata = Metadata(),
                      timeout: Duration? = .seconds(5)) async -> ClientCallResult {
        await withCheckedContinuation { continuation in
            channel.startUnaryCall(path: path, requestBytes: body, metadata: metadata, timeout: timeout) {
                continuation.resume(returning: $0)
            }
        }
    }

    func testUnaryEchoWithMetadataAndLargeBody() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        var metadata = Metadata()
        metadata.addString("v", forKey: "x-key")
        metadata.addBinary([0, 1, 2], forKey: "x-key-bin")
        let small = await Self.call(channel, "/t.Echo/Unary", [1, 2, 3], metadata: metadata)
        XCTAssertEqual(small.status.code, .ok)
        XCTAssertEqual(small.response, [1, 2, 3])
        XCTAssertEqual(small.initialMetadata.firstBinary(forKey: "x-key-bin"), [0, 1, 2])
        let big = (0..<3_000_000).map { UInt8($0 & 0xFF) }
        let large = await Self.call(channel, "/t.Echo/Unary", big)
        XCTAssertEqual(large.response, big)
        channel.close()
    }

    /// Each accepted connection goes to the loop serving the fewest of the server's
    /// connections, whatever turns client channels took from the same group's round robin
    /// (with a shared round robin, client and server connections alternating over two
    /// loops put both server connections on one loop).
    func testAcceptedConnectionsGoToTheLeastBusyLoop() async throws {
        var loops: [UInt8] = []
        var channels: [HTTP2ClientChannel] = []
        for _ in 0..<2 {
            let channel = try HTTP2ClientChannel(target: address, group: Self.group)
            channels.append(channel)
            let result = await Self.call(channel, "/t.Echo/Loop", [])
            XCTAssertEqual(result.status.code, .ok)
            loops += result.response ?? []
        }
        XCTAssertEqual(Set(loops).count, 2, "server loops of the two connections: \(loops)")
        for channel in channels { channel.close() }
    }

    /// One prepared head serves many concurrent calls started from both loops' threads
    /// (each completion starts the next call): every call carries the head's metadata
    /// and its own body, and a call whose head has a short timeout still times out.
    func testPreparedCallHeadSharedAcrossConcurrentCalls() async throws {
        var configuration = ClientConfiguration()
        configuration.connectionsPerAddress = 2
        let channel = try HTTP2ClientChannel(target: address, group: Self.group, configuration: configuration)
        var metadata = Metadata()
        metadata.addString("prepared", forKey: "x-head")
        let head = channel.prepareCall(path: "/t.Echo/Unary", metadata: metadata, timeout: .seconds(5))
        let mismatches = CancelLog()
        let lanes = 16, callsPerLane = 200
        await withTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                        @Sendable func issue(_ index: Int) {
                            guard index < callsPerLane else { return done.resume() }
                            let body = [UInt8(lane), UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8)]
                            channel.startUnaryCall(head, requestBytes: body) { result in
                                if result.status.code != .ok || result.response != body
                                    || result.initialMetadata.firstString(forKey: "x-head") != "prepared" {
                                    mismatches.paths.withLock { $0.append("lane \(lane) call \(index): \(result.status)") }
                                }
                                issue(index + 1)
                            }
                        }
                        issue(0)
                    }
                }
            }
        }
        XCTAssertEqual(mismatches.paths.withLock { $0 }, [])
        let short = channel.prepareCall(path: "/t.Echo/Never", timeout: .milliseconds(100))
        let timedOut = await withCheckedContinuation { continuation in
            channel.startUnaryCall(short, requestBytes: []) { continuation.resume(returning: $0) }
        }
        XCTAssertEqual(timedOut.status.code, .deadlineExceeded)
        channel.close()
    }

    /// One connection reuses streams and caches header Strings by their bytes: values that
    /// repeat, differ only in content at the same length, or exceed the cache must all
    /// arrive exactly as sent, and each call must get its own request body.
    func testHeaderValuesAndBodiesStayExactAcrossReusedStreams() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        for index in 0..<300 {
            var metadata = Metadata()
            metadata.addString("value-\(index % 7)", forKey: "x-same-length")
            metadata.addString(String(repeating: "abcdefghij", count: 1 + index % 20) + String(index), forKey: "x-distinct")
            metadata.addString("ua-\(index % 3)", forKey: "x-10-bytes")   // same length as user-agent
            let body = (0..<(index % 50)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            let result = await Self.call(channel, "/t.Echo/Unary", body, metadata: metadata)
            XCTAssertEqual(result.status.code, .ok, "call \(index)")
            XCTAssertEqual(result.response, body, "call \(index)")
            XCTAssertEqual(result.initialMetadata.firstString(forKey: "x-same-length"), "value-\(index % 7)")
            XCTAssertEqual(result.initialMetadata.firstString(forKey: "x-distinct"),
                           String(repeating: "abcdefghij", count: 1 + index % 20) + String(index))
            XCTAssertEqual(result.initialMetadata.firstString(forKey: "x-10-bytes"), "ua-\(index % 3)")
            XCTAssertEqual(result.initialMetadata.firstString(forKey: "user-agent"), "fanheat-grpc/1.0")
        }
        channel.close()
    }

    func testManyConcurrentCallsShareOneConnection() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        let results = await withTaskGroup(of: StatusCode.self) { group in
            for index in 0..<2000 {
                group.addTask { await Self.call(channel, "/t.Echo/Unary", [UInt8(index & 0xFF)]).status.code }
            }
            var codes: [StatusCode] = []
            for await code in group { codes.append(code) }
            return codes
        }
        XCTAssertEqual(results.count, 2000)
        XCTAssertTrue(results.allSatisfy { $0 == .ok })
        XCTAssertEqual(server.connectionCount, 1)
        channel.close()
    }

    func testStatusMessageAndUnknownMethods() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        var metadata = Metadata()
        metadata.addString("5", forKey: "x-fail")
        let failed = await Self.call(channel, "/t.Echo/Unary", [], metadata: metadata)
        XCTAssertEqual(failed.status.code, .notFound)
        XCTAssertEqual(failed.status.message, "failed as asked: ☺\n")
        let method = await Self.call(channel, "/t.Echo/Missing", [])
        XCTAssertEqual(method.status.code, .unimplemented)
        XCTAssertTrue(method.status.message.contains("Missing"))
        let service = await Self.call(channel, "/t.Nope/Missing", [])
        XCTAssertEqual(service.status.code, .unimplemented)
        channel.close()
    }

    func testDeadlineCancelsTheServerHandler() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        let started = ContinuousClock.now
        let result = await Self.call(channel, "/t.Echo/Never", [], timeout: .milliseconds(100))
        XCTAssertEqual(result.status.code, .deadlineExceeded)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        for _ in 0..<100 where cancelled.paths.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(cancelled.paths.withLock { $0 }, ["/t.Echo/Never"])
        let slow = await Self.call(channel, "/t.Echo/Slow", [], timeout: .milliseconds(100))
        XCTAssertEqual(slow.status.code, .deadlineExceeded)
        channel.close()
    }

    func testClientCancellationResetsTheStream() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        let finished = AsyncPromise<ClientCallResult>()
        let handle = channel.startUnaryCall(path: "/t.Echo/Never", requestBytes: []) { finished.complete(.success($0)) }
        try await Task.sleep(for: .milliseconds(50))
        handle.cancel()
        let result = try await finished.value()
        XCTAssertEqual(result.status.code, .cancelled)
        for _ in 0..<100 where cancelled.paths.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(cancelled.paths.withLock { $0 }, ["/t.Echo/Never"])
        channel.close()
    }

    func testUnreachableServerIsUnavailable() async throws {
        let channel = try HTTP2ClientChannel(target: "127.0.0.1:1", group: Self.group)
        let result = await Self.call(channel, "/t.Echo/Unary", [])
        XCTAssertEqual(result.status.code, .unavailable)
        let again = await Self.call(channel, "/t.Echo/Unary", [])
        XCTAssertEqual(again.status.code, .unavailable)
    }

    func testGracefulShutdownLetsInFlightCallsFinish() async throws {
        let channel = try HTTP2ClientChannel(target: address, group: Self.group)
        let first = await Self.call(channel, "/t.Echo/Unary", [1])
        XCTAssertEqual(first.status.code, .ok)
        server.beginShutdown()
        XCTAssertTrue(server.waitForConnections(grace: .seconds(2)))
        let refused = await Self.call(channel, "/t.Echo/Unary", [1])
        XCTAssertEqual(refused.status.code, .unavailable)
        channel.close()
    }
}

/// Paths whose server handlers saw cancellation.
final class CancelLog: Sendable {
    let paths = Mutex<[String]>([])
}
