import FanHeatProtobuf
import FanHeatRPC

extension HTTP2ClientChannel: ClientChannel {
    /// Runs a unary call.
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, request: Request, options: CallOptions
    ) async throws -> ClientResponse<Response> {
        let observer = StreamingCallObserver<Response>()
        let bytes = request.serializedBytes()
        let call = startCall(path: method.path, metadata: options.metadata, timeout: options.timeout, observer: observer) {
            $0.enqueue(message: bytes)
            $0.halfClosed = true
        }
        observer.attach(call)
        return try await withTaskCancellationHandler {
            try await observer.singleResponse()
        } onCancel: {
            call.cancel()
        }
    }

    /// Runs a client-streaming call.
    public func clientStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions,
        requestProducer: @escaping @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response> {
        let observer = StreamingCallObserver<Response>()
        let call = startCall(path: method.path, metadata: options.metadata, timeout: options.timeout, observer: observer)
        observer.attach(call)
        return try await withTaskCancellationHandler {
            do {
                try await requestProducer(RequestWriter { try await call.send($0.serializedBytes()) })
            } catch {
                if let failure = await observer.failureIfEnded() { throw failure }
                call.cancel()
                throw error
            }
            call.halfClose()
            return try await observer.singleResponse()
        } onCancel: {
            call.cancel()
        }
    }

    /// Runs a server-streaming call.
    public func serverStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, request: Request, options: CallOptions,
        responseHandler: @escaping @Sendable (ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let observer = StreamingCallObserver<Response>()
        let bytes = request.serializedBytes()
        let call = startCall(path: method.path, metadata: options.metadata, timeout: options.timeout, observer: observer) {
            $0.enqueue(message: bytes)
            $0.halfClosed = true
        }
        observer.attach(call)
        return try await withTaskCancellationHandler {
            do {
                let result = try await responseHandler(observer.responseStream)
                call.cancel()
                return result
            } catch {
                call.cancel()
                throw error
            }
        } onCancel: {
            call.cancel()
        }
    }

    /// Runs a bidirectional call; the producer and the handler run concurrently.
    public func bidirectionalStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions,
        requestProducer: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responseHandler: @escaping @Sendable (ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let observer = StreamingCallObserver<Response>()
        let call = startCall(path: method.path, metadata: options.metadata, timeout: options.timeout, observer: observer)
        observer.attach(call)
        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await requestProducer(RequestWriter { try await call.send($0.serializedBytes()) })
                        call.halfClose()
                    } catch {
                        call.cancel()
                        throw error
                    }
                }
                let result: Result
                do {
                    result = try await responseHandler(observer.responseStream)
                } catch {
                    call.cancel()
                    group.cancelAll()
                    throw error
                }
                call.cancel()
                while !group.isEmpty { _ = try? await group.next() }
                return result
            }
        } onCancel: {
            call.cancel()
        }
    }
}
