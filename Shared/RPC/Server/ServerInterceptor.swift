/// A finished server call, as interceptors see it.
public struct FinishedCall: Sendable {
    /// The `:path` requested.
    public var path: String
    /// The registered method, `nil` when the path is unknown.
    public var method: RegisteredMethod?
    /// The final status code.
    public var code: StatusCode
    /// The final status message.
    public var message: String
    /// Time from the request headers to the status.
    public var duration: Duration
    /// Request message bytes received (without framing).
    public var requestBytes: Int
    /// Response message bytes sent (without framing).
    public var responseBytes: Int
    /// The remote address.
    public var peer: String

    /// Creates a record.
    public init(path: String, method: RegisteredMethod?, code: StatusCode, message: String, duration: Duration,
                requestBytes: Int, responseBytes: Int, peer: String) {
        self.path = path
        self.method = method
        self.code = code
        self.message = message
        self.duration = duration
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.peer = peer
    }
}

/// Hooks the server runs around every call: authentication (``admit(_:method:)``),
/// logging and metrics (``finished(_:)``). Both run on the event loop thread and must
/// be quick and non-blocking.
public protocol ServerInterceptor: Sendable {
    /// Runs before the handler; returning an error ends the call with that status.
    func admit(_ context: ServerContext, method: RegisteredMethod) -> RPCError?
    /// Runs once per call when its status is sent (also for refused and unknown calls).
    func finished(_ call: FinishedCall)
}

extension ServerInterceptor {
    /// Admits every call.
    public func admit(_ context: ServerContext, method: RegisteredMethod) -> RPCError? { nil }
    /// Does nothing.
    public func finished(_ call: FinishedCall) {}
}
