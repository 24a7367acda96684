import FanHeatRPC

/// A handle on a started client call: send messages, half-close, cancel (any thread).
public final class ClientCall: @unchecked Sendable {
    let loop: EventLoop
    let stream: ClientStream
    var connection: ClientConnection?
    let requestHighWater: Int

    init(loop: EventLoop, stream: ClientStream, connection: ClientConnection?, requestHighWater: Int) {
        self.loop = loop
        self.stream = stream
        self.connection = connection
        self.requestHighWater = requestHighWater
    }

    /// Sends one request message; suspends while the server is not accepting data.
    public func send(_ message: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            loop.execute { [self] in
                guard let connection else {
                    continuation.resume(throwing: RPCError(code: .unavailable, message: "the call has no connection"))
                    return
                }
                connection.send(message, on: stream, highWater: requestHighWater, continuation: continuation)
            }
        }
    }

    /// Ends the request stream.
    public func halfClose() {
        loop.execute { [self] in connection?.halfClose(stream) }
    }

    /// Cancels the call (the server sees RST_STREAM CANCEL).
    public func cancel(_ error: RPCError = RPCError(code: .cancelled, message: "the call was cancelled")) {
        loop.execute { [self] in connection?.cancel(stream, error: error) }
    }

    /// Reports that the owner consumed a response of `size` framed bytes (loop hop).
    func responseConsumed(size: Int) {
        loop.execute { [self] in connection?.responseConsumed(stream, size: size, lowWater: 512 * 1024) }
    }
}

/// Collects a unary response and calls the completion on the loop thread.
final class UnaryCallObserver: ClientStreamObserver {
    private let completion: @Sendable (ClientCallResult) -> Void
    private var response: [UInt8]?
    private var initialMetadata = Metadata()
    private var extraMessage = false

    init(completion: @escaping @Sendable (ClientCallResult) -> Void) { self.completion = completion }

    var consumesLazily: Bool { false }

    func receivedHeaders(_ metadata: Metadata) { initialMetadata = metadata }

    func receivedMessage(_ message: [UInt8]) {
        if response == nil { response = message } else { extraMessage = true }
    }

    func finished(_ status: RPCError) {
        var status = status
        if status.code == .ok && response == nil {
            status = RPCError(code: .unimplemented, message: "the server sent no response message", metadata: status.metadata)
        } else if status.code == .ok && extraMessage {
            status = RPCError(code: .unimplemented, message: "the server sent more than one response message",
                              metadata: status.metadata)
        }
        completion(ClientCallResult(status: status, response: status.code == .ok ? response : nil,
                                    initialMetadata: initialMetadata))
    }
}
