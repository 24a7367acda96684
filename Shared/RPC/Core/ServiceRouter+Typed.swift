import FanHeatProtobuf

extension ServiceRouter {
    /// Registers an async unary handler.
    public mutating func registerUnary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        register(service: method.service, method: method.method, kind: .unary, handler: .streaming { requests, responses, context in
            let request: Request = try await Self.single(requests)
            let response = try await handler(request, context)
            try await responses.write(response.serializedBytes())
        })
    }

    /// Registers a unary handler that runs on the event loop and completes through a responder.
    public mutating func registerUnaryCallback<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, ServerContext, TypedUnaryResponder<Response>) -> Void
    ) {
        register(service: method.service, method: method.method, kind: .unary, handler: .unaryCallback { bytes, context, responder in
            let request: Request
            do { request = try Request(decoding: bytes) } catch {
                responder.fail(Self.decodingFailure(error, type: Request.self))
                return
            }
            handler(request, context, TypedUnaryResponder(responder))
        })
    }

    /// Registers an async client-streaming handler.
    public mutating func registerClientStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) {
        register(service: method.service, method: method.method, kind: .clientStreaming, handler: .streaming { requests, responses, context in
            let response = try await handler(Self.decoded(requests), context)
            try await responses.write(response.serializedBytes())
        })
    }

    /// Registers an async server-streaming handler.
    public mutating func registerServerStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(service: method.service, method: method.method, kind: .serverStreaming, handler: .streaming { requests, responses, context in
            let request: Request = try await Self.single(requests)
            try await handler(request, Self.encoding(responses), context)
        })
    }

    /// Registers an async bidirectional handler.
    public mutating func registerBidirectionalStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(service: method.service, method: method.method, kind: .bidirectionalStreaming, handler: .streaming { requests, responses, context in
            try await handler(Self.decoded(requests), Self.encoding(responses), context)
        })
    }

    /// The status for a request that does not decode: INVALID_ARGUMENT naming the problem.
    public static func decodingFailure(_ error: any Error, type: (some ProtobufMessage).Type) -> RPCError {
        RPCError(code: .invalidArgument, message: "request is not a valid \(type.protoMessageName): \(error)")
    }

    private static func single<Request: ProtobufMessage>(_ requests: RequestStream<[UInt8]>) async throws -> Request {
        var iterator = requests.makeAsyncIterator()
        guard let first = try await iterator.next() else {
            throw RPCError(code: .unimplemented, message: "unary call ended without a request message")
        }
        if try await iterator.next() != nil {
            throw RPCError(code: .unimplemented, message: "unary call carried more than one request message")
        }
        do { return try Request(serializedBytes: first) } catch {
            throw decodingFailure(error, type: Request.self)
        }
    }

    private static func decoded<Request: ProtobufMessage>(_ requests: RequestStream<[UInt8]>) -> RequestStream<Request> {
        let (stream, continuation) = AsyncThrowingStream<Request, any Error>.makeStream()
        let task = Task {
            do {
                for try await bytes in requests {
                    do { continuation.yield(try Request(serializedBytes: bytes)) } catch {
                        throw decodingFailure(error, type: Request.self)
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return RequestStream(stream)
    }

    private static func encoding<Response: ProtobufMessage>(_ responses: ResponseWriter<[UInt8]>) -> ResponseWriter<Response> {
        ResponseWriter { message in try await responses.write(message.serializedBytes()) }
    }
}

/// Completes a typed unary callback call; may be called from any thread, exactly once.
public struct TypedUnaryResponder<Response: ProtobufMessage>: Sendable {
    /// The untyped responder underneath.
    public let raw: UnaryResponder

    /// Wraps an untyped responder.
    public init(_ raw: UnaryResponder) { self.raw = raw }

    /// Sends `response` and an OK status.
    public func succeed(_ response: Response) { raw.succeed(serializedResponse: response.serializedBytes()) }

    /// Ends the call with `error`'s status.
    public func fail(_ error: RPCError) { raw.fail(error) }
}
