/// An error carrying a gRPC status: thrown by handlers to end a call with that
/// status, and thrown by clients when a call ends with a non-OK status.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code sent in `grpc-status`.
    public var code: StatusCode
    /// The human-readable message sent (percent-encoded) in `grpc-message`.
    public var message: String
    /// Trailing metadata sent with (or received with) the status.
    public var metadata: Metadata

    /// Creates an error with a status code, a message and optional trailing metadata.
    public init(code: StatusCode, message: String, metadata: Metadata = Metadata()) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    /// `CODE: message`, for logs.
    public var description: String { "\(code.name): \(message)" }
}
