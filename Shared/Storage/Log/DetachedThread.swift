#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached pthread running one closure (the log's writer, the index's table preparer).
final class DetachedThread: @unchecked Sendable {
    private let body: () -> Void

    /// Wraps `body`.
    init(_ body: @escaping () -> Void) { self.body = body }

    /// Starts the thread.
    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let owner = Unmanaged<DetachedThread>.fromOpaque(raw!).takeRetainedValue()
            owner.body()
            return nil
        }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }
}
