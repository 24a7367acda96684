/// The requests of a client-streaming or bidirectional call, as the server handler sees them.
///
/// Iteration ends when the client half-closes; it throws if the call fails.
public struct RequestStream<Message: Sendable>: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = Message
    private let source: MessageSource<Message>

    /// Wraps a stream of messages (runtime use).
    public init(_ base: AsyncThrowingStream<Message, any Error>) { self.source = .stream(base) }

    /// Wraps a flow-controlled queue (runtime use).
    public init(queue: MessageQueue<Message>) { self.source = .queue(queue) }

    /// Creates an iterator.
    public func makeAsyncIterator() -> MessageSource<Message>.Iterator { source.makeIterator() }
}

/// Sends the responses of a server-streaming or bidirectional call from the handler.
///
/// `write` suspends while the client is not reading (HTTP/2 flow control), so a slow
/// client never makes the server buffer without bound.
public struct ResponseWriter<Message: Sendable>: Sendable {
    private let sink: @Sendable (Message) async throws -> Void

    /// Wraps a sink (runtime use).
    public init(_ sink: @escaping @Sendable (Message) async throws -> Void) { self.sink = sink }

    /// Sends one response message.
    public func write(_ message: Message) async throws { try await sink(message) }
}

/// Sends the requests of a client-streaming or bidirectional call from the client.
public struct RequestWriter<Message: Sendable>: Sendable {
    private let sink: @Sendable (Message) async throws -> Void

    /// Wraps a sink (runtime use).
    public init(_ sink: @escaping @Sendable (Message) async throws -> Void) { self.sink = sink }

    /// Sends one request message; suspends while the server's window is full.
    public func write(_ message: Message) async throws { try await sink(message) }
}

/// The responses of a server-streaming or bidirectional call, as the client sees them.
///
/// Iteration ends when the server sends an OK status; a non-OK status is thrown as ``RPCError``.
public struct ClientResponseStream<Message: Sendable>: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = Message
    private let source: MessageSource<Message>
    private let initial: @Sendable () async throws -> Metadata
    private let trailing: @Sendable () async throws -> Metadata

    /// Wraps a stream of messages and metadata accessors (runtime use).
    public init(
        _ base: AsyncThrowingStream<Message, any Error>,
        initialMetadata: @escaping @Sendable () async throws -> Metadata,
        trailingMetadata: @escaping @Sendable () async throws -> Metadata
    ) {
        self.source = .stream(base)
        self.initial = initialMetadata
        self.trailing = trailingMetadata
    }

    /// Wraps a flow-controlled queue and metadata accessors (runtime use).
    public init(
        queue: MessageQueue<Message>,
        initialMetadata: @escaping @Sendable () async throws -> Metadata,
        trailingMetadata: @escaping @Sendable () async throws -> Metadata
    ) {
        self.source = .queue(queue)
        self.initial = initialMetadata
        self.trailing = trailingMetadata
    }

    /// The response headers' custom metadata (waits for the headers).
    public func initialMetadata() async throws -> Metadata { try await initial() }

    /// The trailers' custom metadata (waits for the end of the call).
    public func trailingMetadata() async throws -> Metadata { try await trailing() }

    /// Creates an iterator.
    public func makeAsyncIterator() -> MessageSource<Message>.Iterator { source.makeIterator() }
}

/// Where a stream's messages come from: a plain async stream or the transport's
/// flow-controlled queue.
public enum MessageSource<Message: Sendable>: Sendable {
    /// An `AsyncThrowingStream`.
    case stream(AsyncThrowingStream<Message, any Error>)
    /// A ``MessageQueue`` fed by the transport.
    case queue(MessageQueue<Message>)

    /// Iterates either source.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Message, any Error>.AsyncIterator?
        let queue: MessageQueue<Message>?

        /// The next message, or `nil` at the end.
        public mutating func next() async throws -> Message? {
            if let queue { return try await queue.next() }
            return try await base?.next()
        }
    }

    /// Creates an iterator.
    public func makeIterator() -> Iterator {
        switch self {
        case .stream(let stream): Iterator(base: stream.makeAsyncIterator(), queue: nil)
        case .queue(let queue): Iterator(base: nil, queue: queue)
        }
    }
}
