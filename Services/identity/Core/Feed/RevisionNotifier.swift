import Synchronization

/// Wakes feed watchers when a new revision commits.
public final class RevisionNotifier: Sendable {
    private struct State {
        var latest: Int64
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
        var closed = false
    }

    private let state: Mutex<State>

    /// Creates a notifier starting at `latest`.
    public init(latest: Int64) { state = Mutex(State(latest: latest)) }

    /// The latest published revision.
    public var latest: Int64 { state.withLock { $0.latest } }

    /// Records a committed revision and wakes every waiter.
    public func publish(_ revision: Int64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard revision > state.latest else { return [] }
            state.latest = revision
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once a revision above `revision` is published, or when the task is cancelled.
    public func wait(after revision: Int64) async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.latest > revision || state.closed || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume()
        }
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    /// Whether ``close()`` was called: feed watchers should end.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Wakes every waiter for good (shutdown): later waits return at once.
    public func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}
