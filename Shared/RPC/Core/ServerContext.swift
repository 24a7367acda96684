import Synchronization

/// What a handler knows about its call: metadata, deadline, peer and cancellation.
///
/// The runtime creates one per call. Handlers read it; the runtime cancels it
/// when the client resets the stream, the deadline passes or the connection closes.
public final class ServerContext: Sendable {
    /// The request's custom metadata (HTTP/2 pseudo-headers and gRPC reserved headers removed).
    public let metadata: Metadata
    /// The method path, e.g. `/fanheat.ingest.v1.ActivityIngest/Ingest`.
    public let path: String
    /// The remote address, e.g. `127.0.0.1:53422`.
    public let peer: String
    /// When the call's `grpc-timeout` runs out, if the client set one.
    public let deadline: ContinuousClock.Instant?

    private let state = Mutex<State>(State())
    /// Whether response or trailing metadata was ever set: lets the runtime skip the lock
    /// for the common call without custom metadata.
    private let metadataSet = Atomic<Bool>(false)

    private struct State {
        var cancelled = false
        var handlers: [@Sendable () -> Void] = []
        var responseMetadata = Metadata()
        var trailingMetadata = Metadata()
    }

    /// Creates a context (called by the runtime and by tests).
    public init(metadata: Metadata, path: String, peer: String, deadline: ContinuousClock.Instant?) {
        self.metadata = metadata
        self.path = path
        self.peer = peer
        self.deadline = deadline
    }

    /// Whether the call was cancelled (client reset, deadline, connection loss, shutdown).
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Runs `handler` once when the call is cancelled (at once if it already was).
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.cancelled { return true }
            state.handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Marks the call cancelled and runs the cancellation handlers (runtime use).
    public func cancel() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.cancelled else { return [] }
            state.cancelled = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }

    /// Custom metadata to send with the response headers; set before the first response.
    public var responseMetadata: Metadata {
        get {
            guard metadataSet.load(ordering: .acquiring) else { return Metadata() }
            return state.withLock { $0.responseMetadata }
        }
        set {
            state.withLock { $0.responseMetadata = newValue }
            metadataSet.store(true, ordering: .releasing)
        }
    }

    /// Custom metadata to send with the trailers.
    public var trailingMetadata: Metadata {
        get {
            guard metadataSet.load(ordering: .acquiring) else { return Metadata() }
            return state.withLock { $0.trailingMetadata }
        }
        set {
            state.withLock { $0.trailingMetadata = newValue }
            metadataSet.store(true, ordering: .releasing)
        }
    }
}
