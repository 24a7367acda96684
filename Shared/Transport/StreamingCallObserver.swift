import FanHeatProtobuf
import FanHeatRPC
import Synchronization

/// Feeds a typed, flow-controlled response queue and the call's metadata promises
/// from a client stream's events.
final class StreamingCallObserver<Response: ProtobufMessage>: ClientStreamObserver, @unchecked Sendable {
    /// Decoded responses; consuming one returns its HTTP/2 credit.
    let queue: MessageQueue<Response>
    /// The response headers' metadata.
    let headers = AsyncPromise<Metadata>()
    /// The trailers' metadata.
    let trailers = AsyncPromise<Metadata>()
    /// The final status.
    let status = AsyncPromise<RPCError>()
    private let shared: Shared

    private final class Shared: Sendable {
        let sizes = Mutex<[Int]>([])
        let call = Mutex<ClientCall?>(nil)
    }

    init() {
        let shared = Shared()
        self.shared = shared
        queue = MessageQueue { _ in
            let size = shared.sizes.withLock { $0.isEmpty ? 0 : $0.removeFirst() }
            shared.call.withLock { $0 }?.responseConsumed(size: size)
        }
    }

    /// Connects the observer to its call (for credit and cancellation).
    func attach(_ call: ClientCall) { shared.call.withLock { $0 = call } }

    var consumesLazily: Bool { true }

    func receivedHeaders(_ metadata: Metadata) { headers.complete(.success(metadata)) }

    func receivedMessage(_ message: [UInt8]) {
        do {
            let decoded = try Response(serializedBytes: message)
            shared.sizes.withLock { $0.append(message.count + MessageFramer.prefixLength) }
            queue.push(decoded)
        } catch {
            shared.call.withLock { $0 }?.cancel(RPCError(
                code: .internal, message: "response is not a valid \(Response.protoMessageName): \(error)"))
        }
    }

    func finished(_ status: RPCError) {
        headers.complete(.success(Metadata()))
        trailers.complete(.success(status.metadata))
        self.status.complete(.success(status))
        queue.finish(throwing: status.code == .ok ? nil : status)
    }

    /// The response stream handed to callers.
    var responseStream: ClientResponseStream<Response> {
        ClientResponseStream(queue: queue, initialMetadata: { [headers] in try await headers.value() },
                             trailingMetadata: { [trailers] in try await trailers.value() })
    }

    /// Reads the single response of a unary or client-streaming call, then the status.
    func singleResponse() async throws -> ClientResponse<Response> {
        let first = try await queue.next()
        let final = try await status.value()
        guard final.code == .ok else { throw final }
        guard let first else {
            throw RPCError(code: .unimplemented, message: "the server sent no response message")
        }
        if try await queue.next() != nil {
            throw RPCError(code: .unimplemented, message: "the server sent more than one response message")
        }
        return ClientResponse(message: first, initialMetadata: try await headers.value(), trailingMetadata: final.metadata)
    }

    /// The final status if the call already ended with an error.
    func failureIfEnded() async -> RPCError? {
        guard status.isCompleted, let final = try? await status.value(), final.code != .ok else { return nil }
        return final
    }
}
