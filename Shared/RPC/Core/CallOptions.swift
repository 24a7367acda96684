/// Per-call client options.
public struct CallOptions: Sendable {
    /// How long the call may take; sent as `grpc-timeout`. `nil` means no deadline.
    public var timeout: Duration?
    /// Custom request metadata (e.g. `authorization`).
    public var metadata: Metadata

    /// Creates options.
    public init(timeout: Duration? = nil, metadata: Metadata = Metadata()) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

/// A single response of a unary or client-streaming call, with its metadata.
public struct ClientResponse<Message: Sendable>: Sendable {
    /// The response message.
    public var message: Message
    /// The response headers' custom metadata.
    public var initialMetadata: Metadata
    /// The trailers' custom metadata (without `grpc-status`/`grpc-message`).
    public var trailingMetadata: Metadata

    /// Creates a response.
    public init(message: Message, initialMetadata: Metadata, trailingMetadata: Metadata) {
        self.message = message
        self.initialMetadata = initialMetadata
        self.trailingMetadata = trailingMetadata
    }
}
