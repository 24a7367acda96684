import FanHeatProtobuf

/// The four shapes of a gRPC call.
public enum RPCKind: Sendable, Hashable {
    /// One request, one response.
    case unary
    /// A stream of requests, one response.
    case clientStreaming
    /// One request, a stream of responses.
    case serverStreaming
    /// A stream of requests and a stream of responses.
    case bidirectionalStreaming
}

/// Names one method of one service, typed by its request and response messages.
public struct MethodDescriptor<Request: ProtobufMessage, Response: ProtobufMessage>: Sendable, Hashable {
    /// The fully qualified service name, e.g. `fanheat.ingest.v1.ActivityIngest`.
    public let service: String
    /// The method name, e.g. `Ingest`.
    public let method: String
    /// The call shape.
    public let kind: RPCKind

    /// Creates a descriptor.
    public init(service: String, method: String, kind: RPCKind) {
        self.service = service
        self.method = method
        self.kind = kind
    }

    /// The HTTP/2 `:path` of the method: `/service/method`.
    public var path: String { "/\(service)/\(method)" }
}
