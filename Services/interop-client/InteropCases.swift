import FanHeatContracts
import FanHeatRPC

/// A failed interop expectation.
struct InteropFailure: Error, CustomStringConvertible {
    let description: String
}

/// gRPC's interop client cases (doc/interop-test-descriptions.md) on our client.
struct InteropCases: Sendable {
    let channel: any ClientChannel
    var client: Grpc_Testing_TestServiceClient { Grpc_Testing_TestServiceClient(channel: channel) }
    let options = CallOptions(timeout: .seconds(10))

    static let names = ["empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
                        "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
                        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
                        "timeout_on_sleeping_server"]

    static let specialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"

    func run(_ name: String) async throws {
        switch name {
        case "empty_unary": try await emptyUnary()
        case "large_unary": try await largeUnary()
        case "client_streaming": try await clientStreaming()
        case "server_streaming": try await serverStreaming()
        case "ping_pong": try await pingPong()
        case "empty_stream": try await emptyStream()
        case "custom_metadata": try await customMetadata()
        case "status_code_and_message": try await statusCodeAndMessage()
        case "special_status_message": try await specialStatusMessage()
        case "unimplemented_method": try await unimplementedMethod()
        case "unimplemented_service": try await unimplementedService()
        case "cancel_after_begin": try await cancelAfterBegin()
        case "cancel_after_first_response": try await cancelAfterFirstResponse()
        case "timeout_on_sleeping_server": try await timeoutOnSleepingServer()
        default: throw InteropFailure(description: "unknown test case \(name)")
        }
    }

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw InteropFailure(description: message()) }
    }

    static func payload(_ size: Int) -> Grpc_Testing_Payload {
        var payload = Grpc_Testing_Payload()
        payload.body = [UInt8](repeating: 0, count: size)
        return payload
    }

    static func streamingRequest(payload size: Int?, responseSizes: [Int32],
                                 status: Grpc_Testing_EchoStatus? = nil) -> Grpc_Testing_StreamingOutputCallRequest {
        var request = Grpc_Testing_StreamingOutputCallRequest()
        if let size { request.payload = payload(size) }
        request.responseParameters = responseSizes.map { size in
            var parameters = Grpc_Testing_ResponseParameters()
            parameters.size = size
            return parameters
        }
        request.responseStatus = status
        return request
    }

    static func largeRequest() -> Grpc_Testing_SimpleRequest {
        var request = Grpc_Testing_SimpleRequest()
        request.responseSize = 314_159
        request.payload = payload(271_828)
        return request
    }

    /// Runs `body`, which must fail with `code` (and `message`, if given).
    static func expectStatus(_ code: StatusCode, _ message: String? = nil, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as RPCError {
            try check(error.code == code, "expected \(code), got \(error)")
            if let message { try check(error.message == message, "expected message \(message.debugDescription), got \(error.message.debugDescription)") }
            return
        }
        throw InteropFailure(description: "expected \(code), the call succeeded")
    }

    func emptyUnary() async throws {
        let response = try await client.emptyCall(Grpc_Testing_Empty(), options: options)
        try Self.check(response == Grpc_Testing_Empty(), "EmptyCall returned a non-empty message")
    }

    func largeUnary() async throws {
        let response = try await client.unaryCall(Self.largeRequest(), options: options)
        try Self.check(response.payload?.body.count == 314_159, "payload size \(response.payload?.body.count ?? -1)")
    }

    func clientStreaming() async throws {
        let response = try await client.streamingInputCall(options: options) { writer in
            for size in [27_182, 8, 1_828, 45_904] {
                var request = Grpc_Testing_StreamingInputCallRequest()
                request.payload = Self.payload(size)
                try await writer.write(request)
            }
        }
        try Self.check(response.aggregatedPayloadSize == 74_922, "aggregated size \(response.aggregatedPayloadSize)")
    }

    func serverStreaming() async throws {
        let sizes: [Int32] = [31_415, 9, 2_653, 58_979]
        let request = Self.streamingRequest(payload: nil, responseSizes: sizes)
        let received = try await client.streamingOutputCall(request, options: options) { responses in
            var sizes: [Int32] = []
            for try await response in responses { sizes.append(Int32(response.payload?.body.count ?? -1)) }
            return sizes
        }
        try Self.check(received == sizes, "response sizes \(received)")
    }

    func pingPong() async throws {
        let requestSizes = [27_182, 8, 1_828, 45_904]
        let responseSizes: [Int32] = [31_415, 9, 2_653, 58_979]
        let (turns, turn) = AsyncStream<Void>.makeStream()
        let received = try await client.fullDuplexCall(options: options, requests: { writer in
            var iterator = turns.makeAsyncIterator()
            for (index, size) in requestSizes.enumerated() {
                try await writer.write(Self.streamingRequest(payload: size, responseSizes: [responseSizes[index]]))
                guard await iterator.next() != nil else { return }
            }
        }, responses: { responses in
            var sizes: [Int32] = []
            for try await response in responses {
                sizes.append(Int32(response.payload?.body.count ?? -1))
                turn.yield()
            }
            return sizes
        })
        try Self.check(received == responseSizes, "response sizes \(received)")
    }

    func emptyStream() async throws {
        let count = try await client.fullDuplexCall(options: options, requests: { _ in }, responses: { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        })
        try Self.check(count == 0, "\(count) responses on an empty stream")
    }

    func customMetadata() async throws {
        var metadata = Metadata()
        metadata.addString("test_initial_metadata_value", forKey: "x-grpc-test-echo-initial")
        metadata.addBinary([0xAB, 0xAB, 0xAB], forKey: "x-grpc-test-echo-trailing-bin")
        let options = CallOptions(timeout: .seconds(10), metadata: metadata)
        let unary = try await channel.unary(Grpc_Testing_TestService.Method.unaryCall, request: Self.largeRequest(), options: options)
        try Self.check(unary.message.payload?.body.count == 314_159, "unary payload size")
        try Self.check(unary.initialMetadata.firstString(forKey: "x-grpc-test-echo-initial") == "test_initial_metadata_value",
                       "unary initial metadata \(unary.initialMetadata)")
        try Self.check(unary.trailingMetadata.firstBinary(forKey: "x-grpc-test-echo-trailing-bin") == [0xAB, 0xAB, 0xAB],
                       "unary trailing metadata \(unary.trailingMetadata)")
        let (initial, trailing) = try await client.fullDuplexCall(options: options, requests: { writer in
            try await writer.write(Self.streamingRequest(payload: 271_828, responseSizes: [314_159]))
        }, responses: { responses in
            for try await _ in responses {}
            return (try await responses.initialMetadata(), try await responses.trailingMetadata())
        })
        try Self.check(initial.firstString(forKey: "x-grpc-test-echo-initial") == "test_initial_metadata_value",
                       "streaming initial metadata \(initial)")
        try Self.check(trailing.firstBinary(forKey: "x-grpc-test-echo-trailing-bin") == [0xAB, 0xAB, 0xAB],
                       "streaming trailing metadata \(trailing)")
    }

    func statusCodeAndMessage() async throws {
        var status = Grpc_Testing_EchoStatus()
        status.code = 2
        status.message = "test status message"
        var request = Grpc_Testing_SimpleRequest()
        request.responseStatus = status
        try await Self.expectStatus(.unknown, "test status message") { _ = try await client.unaryCall(request, options: options) }
        let streaming = Self.streamingRequest(payload: nil, responseSizes: [], status: status)
        try await Self.expectStatus(.unknown, "test status message") {
            _ = try await client.fullDuplexCall(options: options, requests: { try await $0.write(streaming) },
                                                responses: { responses in for try await _ in responses {} })
        }
    }

    func specialStatusMessage() async throws {
        var status = Grpc_Testing_EchoStatus()
        status.code = 2
        status.message = Self.specialMessage
        var request = Grpc_Testing_SimpleRequest()
        request.responseStatus = status
        try await Self.expectStatus(.unknown, Self.specialMessage) { _ = try await client.unaryCall(request, options: options) }
    }

    func unimplementedMethod() async throws {
        let method = MethodDescriptor<Grpc_Testing_Empty, Grpc_Testing_Empty>(
            service: "grpc.testing.TestService", method: "UnimplementedCall", kind: .unary)
        try await Self.expectStatus(.unimplemented) { _ = try await channel.unary(method, request: Grpc_Testing_Empty(), options: options) }
    }

    func unimplementedService() async throws {
        let client = Grpc_Testing_UnimplementedServiceClient(channel: channel)
        try await Self.expectStatus(.unimplemented) { _ = try await client.unimplementedCall(Grpc_Testing_Empty(), options: options) }
    }

    func cancelAfterBegin() async throws {
        let client = self.client
        let options = self.options
        let task = Task {
            try await client.streamingInputCall(options: options) { _ in try await Task.sleep(for: .seconds(30)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        do {
            _ = try await task.value
            throw InteropFailure(description: "the cancelled call succeeded")
        } catch let error as RPCError {
            try Self.check(error.code == .cancelled, "expected CANCELLED, got \(error)")
        } catch is CancellationError {
            return
        }
    }

    func cancelAfterFirstResponse() async throws {
        struct FirstResponseSeen: Error {}
        do {
            _ = try await client.fullDuplexCall(options: options, requests: { writer in
                try await writer.write(Self.streamingRequest(payload: 27_182, responseSizes: [31_415]))
                try await Task.sleep(for: .seconds(30))
            }, responses: { responses in
                for try await response in responses {
                    try Self.check(response.payload?.body.count == 31_415, "first response size")
                    throw FirstResponseSeen()
                }
            })
            throw InteropFailure(description: "the stream ended without a response")
        } catch is FirstResponseSeen {
            return
        }
    }

    func timeoutOnSleepingServer() async throws {
        let options = CallOptions(timeout: .milliseconds(1))
        try await Self.expectStatus(.deadlineExceeded) {
            _ = try await client.fullDuplexCall(options: options, requests: { writer in
                try await writer.write(Self.streamingRequest(payload: 27_182, responseSizes: []))
                try await Task.sleep(for: .seconds(30))
            }, responses: { responses in for try await _ in responses {} })
        }
    }
}
