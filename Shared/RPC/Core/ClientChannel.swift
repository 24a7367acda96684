import FanHeatProtobuf

/// Something that carries calls to a server: implemented by the HTTP/2 channel
/// in FanHeatTransport; generated clients are written against this protocol.
public protocol ClientChannel: Sendable {
    /// Runs a unary call.
    func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        request: Request,
        options: CallOptions
    ) async throws -> ClientResponse<Response>

    /// Runs a client-streaming call: `requestProducer` writes the requests; the
    /// call half-closes when it returns.
    func clientStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response>

    /// Runs a server-streaming call: `responseHandler` consumes the responses; the call
    /// is cancelled if it returns early.
    func serverStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>,
        request: Request,
        options: CallOptions,
        responseHandler: @escaping @Sendable (ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result

    /// Runs a bidirectional call; both closures run concurrently.
    func bidirectionalStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>,
        options: CallOptions,
        requestProducer: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responseHandler: @escaping @Sendable (ClientResponseStream<Response>) async throws -> Result
    ) async throws -> Result
}
