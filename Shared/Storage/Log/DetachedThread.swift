#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached pthread running one closure (the log's writer, the index's table preparer).
final class DetachedThread: @unchecked Sendable {
    /// How the scheduler treats the thread.
    enum Priority {
        /// Like every other thread of the process.
        case normal
        /// Nice 10 (Linux; elsewhere unchanged): preparation work that must keep pace with
        /// ingest but should yield to the event loops and the log writer. Not `SCHED_IDLE`:
        /// on a saturated server such a thread may not run for seconds, and a table or
        /// segment not ready in time costs far more than the CPU it would have taken.
        case reduced
    }

    private let body: () -> Void
    private let priority: Priority

    /// Wraps `body`, to run at `priority`.
    init(priority: Priority = .normal, _ body: @escaping () -> Void) {
        self.priority = priority
        self.body = body
    }

    /// Starts the thread.
    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let owner = Unmanaged<DetachedThread>.fromOpaque(raw!).takeRetainedValue()
            owner.applyPriority()
            owner.body()
            return nil
        }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }

    /// Applies ``priority`` to the calling thread (on Linux, a nice value belongs to the
    /// thread, and `who` 0 names the caller).
    private func applyPriority() {
        #if os(Linux)
        switch priority {
        case .normal:
            break
        case .reduced:
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        }
        #endif
    }
}
