import FanHeatProtobuf

/// A service that can add its methods to a server's router; generated service
/// protocols conform to this through an extension.
public protocol RegistrableService: Sendable {
    /// Adds every method of the service to `router`.
    func registerMethods(with router: inout ServiceRouter)
}

/// Completes a unary call registered with a callback handler; may be called from any
/// thread, exactly once.
public struct UnaryResponder: Sendable {
    private let completion: @Sendable (Result<[UInt8], RPCError>) -> Void

    /// Wraps the runtime's completion (runtime use).
    public init(_ completion: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void) {
        self.completion = completion
    }

    /// Sends the serialized response and an OK status.
    public func succeed(serializedResponse: [UInt8]) { completion(.success(serializedResponse)) }

    /// Ends the call with `error`'s status.
    public func fail(_ error: RPCError) { completion(.failure(error)) }
}

/// How the runtime runs one registered method.
public enum ServerMethodHandler: Sendable {
    /// Runs as a Swift concurrency task over raw request and response messages;
    /// every call shape can be expressed this way.
    case streaming(@Sendable (RequestStream<[UInt8]>, ResponseWriter<[UInt8]>, ServerContext) async throws -> Void)
    /// Runs synchronously on the connection's event loop with the raw request bytes
    /// (valid only during the call); completes through the responder, from any thread.
    /// The hot-path form: no task, no copy of the request.
    case unaryCallback(@Sendable (UnsafeRawBufferPointer, ServerContext, UnaryResponder) -> Void)
}

/// One method as registered with a server.
public struct RegisteredMethod: Sendable {
    /// The fully qualified service name.
    public let service: String
    /// The method name.
    public let method: String
    /// The call shape.
    public let kind: RPCKind
    /// How to run it.
    public let handler: ServerMethodHandler

    /// `/service/method`.
    public var path: String { "/\(service)/\(method)" }
}

/// The table of methods a server serves, keyed by `:path`.
public struct ServiceRouter: Sendable {
    /// Registered methods by path.
    public private(set) var methods: [String: RegisteredMethod] = [:]

    /// Creates an empty router.
    public init() {}

    /// The distinct service names registered, sorted.
    public var serviceNames: [String] { Array(Set(methods.values.map(\.service))).sorted() }

    /// Adds every method of `service`.
    public mutating func register(_ service: some RegistrableService) {
        service.registerMethods(with: &self)
    }

    /// Adds a method with an erased handler (replacing any earlier one on the same path).
    public mutating func register(service: String, method: String, kind: RPCKind, handler: ServerMethodHandler) {
        let entry = RegisteredMethod(service: service, method: method, kind: kind, handler: handler)
        methods[entry.path] = entry
    }

    /// Looks up the method for a `:path`.
    public func method(forPath path: String) -> RegisteredMethod? { methods[path] }
}
