import Synchronization

/// A value that arrives once, awaited by any number of tasks.
public final class AsyncPromise<Value: Sendable>: Sendable {
    private struct State: ~Copyable {
        var result: Result<Value, any Error>?
        var waiters: [CheckedContinuation<Value, any Error>] = []
    }

    private let state = Mutex<State>(State())

    /// Creates an unfulfilled promise.
    public init() {}

    /// Completes the promise; later calls are ignored.
    public func complete(_ result: Result<Value, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
            guard state.result == nil else { return [] }
            state.result = result
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    /// Whether the promise was completed.
    public var isCompleted: Bool { state.withLock { $0.result != nil } }

    /// Waits for the value.
    public func value() async throws -> Value {
        if let result = state.withLock({ $0.result }) { return try result.get() }
        return try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<Value, any Error>? in
                if let result = state.result { return result }
                state.waiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
