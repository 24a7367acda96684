import Synchronization

/// A single-consumer asynchronous queue of messages between the event loop (producer)
/// and a handler task (consumer). `onConsume` runs after each dequeue so the transport
/// can return HTTP/2 flow-control credit only for messages actually consumed: that
/// is what bounds buffering when a consumer is slow.
public final class MessageQueue<Message: Sendable>: Sendable {
    private struct State: ~Copyable {
        var items: [Message] = []
        var head = 0
        var ended = false
        var failure: (any Error)?
        var waiter: CheckedContinuation<Message?, any Error>?
    }

    private let state = Mutex<State>(State())
    private let onConsume: @Sendable (Message) -> Void

    /// Creates a queue; `onConsume` is called (on the consumer's thread) after each dequeue.
    public init(onConsume: @escaping @Sendable (Message) -> Void = { _ in }) {
        self.onConsume = onConsume
    }

    /// Adds a message; ignored after the queue ended.
    public func push(_ message: Message) {
        let waiter = state.withLock { state -> CheckedContinuation<Message?, any Error>? in
            guard !state.ended else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.items.append(message)
            return nil
        }
        if let waiter {
            waiter.resume(returning: message)
            onConsume(message)
        }
    }

    /// Ends the queue: the consumer sees the buffered messages, then the end (or `error`).
    public func finish(throwing error: (any Error)? = nil) {
        let waiter = state.withLock { state -> CheckedContinuation<Message?, any Error>? in
            guard !state.ended else { return nil }
            state.ended = true
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }

    /// Ends the queue at once, dropping buffered messages, with `error`.
    public func fail(_ error: any Error) {
        let waiter = state.withLock { state -> CheckedContinuation<Message?, any Error>? in
            state.items.removeAll()
            state.head = 0
            if !state.ended {
                state.ended = true
                state.failure = error
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: error)
    }

    private enum Poll {
        case message(Message)
        case end((any Error)?)
        case wait
    }

    /// The next message, or `nil` at the end; throws the queue's failure or on task cancellation.
    public func next() async throws -> Message? {
        let polled = state.withLock { state -> Poll in
            if state.head < state.items.count {
                let message = state.items[state.head]
                state.head += 1
                if state.head == state.items.count {
                    state.items.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                return .message(message)
            }
            if state.ended { return .end(state.failure) }
            return .wait
        }
        switch polled {
        case .message(let message):
            onConsume(message)
            return message
        case .end(let failure):
            if let failure { throw failure }
            return nil
        case .wait:
            break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Message?, any Error>) in
                let immediate = state.withLock { state -> Poll in
                    if state.head < state.items.count {
                        let message = state.items[state.head]
                        state.head += 1
                        return .message(message)
                    }
                    if state.ended { return .end(state.failure) }
                    state.waiter = continuation
                    return .wait
                }
                switch immediate {
                case .message(let message):
                    continuation.resume(returning: message)
                    onConsume(message)
                case .end(let failure):
                    if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) }
                case .wait:
                    break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Message?, any Error>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: RPCError(code: .cancelled, message: "the consuming task was cancelled"))
        }
    }
}
