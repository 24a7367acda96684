import FanHeatProtobuf
import Synchronization

/// A service that can add its methods to a server's router; generated service
/// protocols conform to this through an extension.
public protocol RegistrableService: Sendable {
    /// Adds every method of the service to `router`.
    func registerMethods(with router: inout ServiceRouter)
}

/// Receives the outcome of unary callback calls (the runtime's server connection): lets a
/// ``UnaryResponder`` be a reference and a call number instead of an allocated closure.
public protocol UnaryCompletionTarget: AnyObject, Sendable {
    /// Completes call `callID` with the serialized response or an error; any thread.
    func completeUnaryCall(_ callID: Int, result: Result<[UInt8], RPCError>)
}

/// Completes a unary call registered with a callback handler; may be called from any
/// thread, exactly once.
public struct UnaryResponder: Sendable {
    private let target: any UnaryCompletionTarget
    private let callID: Int

    /// Completes through `target` with `callID` (runtime use; no allocation per call).
    public init(target: any UnaryCompletionTarget, callID: Int) {
        self.target = target
        self.callID = callID
    }

    /// Wraps a completion closure (tests and adapters).
    public init(_ completion: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void) {
        self.init(target: ClosureCompletion(completion), callID: 0)
    }

    /// Sends the serialized response and an OK status.
    public func succeed(serializedResponse: [UInt8]) { target.completeUnaryCall(callID, result: .success(serializedResponse)) }

    /// Ends the call with `error`'s status.
    public func fail(_ error: RPCError) { target.completeUnaryCall(callID, result: .failure(error)) }
}

/// A ``UnaryCompletionTarget`` that runs a closure.
private final class ClosureCompletion: UnaryCompletionTarget {
    private let completion: @Sendable (Result<[UInt8], RPCError>) -> Void

    init(_ completion: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void) { self.completion = completion }

    func completeUnaryCall(_ callID: Int, result: Result<[UInt8], RPCError>) { completion(result) }
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

/// One method as registered with a server (a class: the runtime passes it around per
/// call, and one reference is cheaper to copy than its strings and handler).
public final class RegisteredMethod: Sendable {
    /// The fully qualified service name.
    public let service: String
    /// The method name.
    public let method: String
    /// The call shape.
    public let kind: RPCKind
    /// How to run it.
    public let handler: ServerMethodHandler
    /// `/service/method`, built once.
    public let path: String
    /// A small number unique to this registration in the process (dense, from 0): lets
    /// interceptors keep per-method state in arrays instead of dictionaries keyed by path.
    public let serial: Int

    private static let nextSerial = Atomic<Int>(0)

    /// Creates a registration.
    public init(service: String, method: String, kind: RPCKind, handler: ServerMethodHandler) {
        self.service = service
        self.method = method
        self.kind = kind
        self.handler = handler
        self.path = "/\(service)/\(method)"
        self.serial = Self.nextSerial.add(1, ordering: .relaxed).oldValue
    }
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
