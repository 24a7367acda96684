import FanHeatRPC

/// How a client channel behaves.
public struct ClientConfiguration: Sendable {
    /// HTTP/2 settings.
    public var http2 = HTTP2Settings()
    /// Connections opened per resolved address (spread over the group's loops).
    public var connectionsPerAddress = 1
    /// The largest response message accepted.
    public var maximumReceiveMessageSize = MessageDeframer.defaultMaximumMessageSize
    /// How long a connection attempt may take.
    public var connectTimeout: Duration = .seconds(5)
    /// The first reconnect delay after a failure; it grows 1.6× per failure.
    public var initialBackoff: Duration = .milliseconds(200)
    /// The longest reconnect delay.
    public var maximumBackoff: Duration = .seconds(10)
    /// Request bytes a streaming call may queue before `write` suspends.
    public var requestHighWater = 256 * 1024

    /// Creates the defaults.
    public init() {}
}

/// The outcome of a low-level call.
public struct ClientCallResult: Sendable {
    /// The status (`code == .ok` on success); `status.metadata` holds the trailers.
    public var status: RPCError
    /// The response message, when one arrived.
    public var response: [UInt8]?
    /// The response headers' custom metadata.
    public var initialMetadata: Metadata
}
