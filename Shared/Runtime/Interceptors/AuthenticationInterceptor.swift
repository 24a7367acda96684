import FanHeatRPC

/// Refuses calls whose metadata does not authenticate: `verify` runs on the event
/// loop before the handler and returns an error (typically UNAUTHENTICATED) to refuse.
/// Services in `exemptServices` (health and reflection by default) are never checked.
public struct AuthenticationInterceptor: ServerInterceptor {
    /// Services that need no authentication.
    public var exemptServices: Set<String>
    private let verify: @Sendable (ServerContext, RegisteredMethod) -> RPCError?

    /// Creates the interceptor.
    public init(exemptServices: Set<String> = ServiceHost.standardServices,
                verify: @escaping @Sendable (ServerContext, RegisteredMethod) -> RPCError?) {
        self.exemptServices = exemptServices
        self.verify = verify
    }

    /// Runs `verify` unless the service is exempt.
    public func admit(_ context: ServerContext, method: RegisteredMethod) -> RPCError? {
        if exemptServices.contains(method.service) { return nil }
        return verify(context, method)
    }
}

/// An interceptor built from closures, for small cross-cutting checks.
public struct ClosureInterceptor: ServerInterceptor {
    private let admitCall: @Sendable (ServerContext, RegisteredMethod) -> RPCError?
    private let finishedCall: @Sendable (FinishedCall) -> Void

    /// Creates the interceptor.
    public init(admit: @escaping @Sendable (ServerContext, RegisteredMethod) -> RPCError? = { _, _ in nil },
                finished: @escaping @Sendable (FinishedCall) -> Void = { _ in }) {
        self.admitCall = admit
        self.finishedCall = finished
    }

    /// Runs the admit closure.
    public func admit(_ context: ServerContext, method: RegisteredMethod) -> RPCError? { admitCall(context, method) }

    /// Runs the finished closure.
    public func finished(_ call: FinishedCall) { finishedCall(call) }
}
