import FanHeatRPC

/// How a gRPC server behaves.
public struct ServerConfiguration: Sendable {
    /// HTTP/2 settings.
    public var http2 = HTTP2Settings()
    /// The largest request message accepted (RESOURCE_EXHAUSTED beyond).
    public var maximumReceiveMessageSize = MessageDeframer.defaultMaximumMessageSize
    /// Response bytes a streaming handler may queue before `write` suspends.
    public var responseHighWater = 256 * 1024
    /// Request bytes queued for a streaming handler before flow-control credit is withheld.
    public var requestHighWater = 1024 * 1024
    /// Idle connections (no open streams) are closed after this long.
    public var idleTimeout: Duration = .seconds(300)
    /// The server pings an otherwise silent connection this often (nil: never).
    public var keepaliveInterval: Duration? = .seconds(7200)
    /// How long a keepalive ping may stay unanswered before the connection closes.
    public var keepaliveTimeout: Duration = .seconds(20)
    /// Client pings closer together than this with no data in between count as strikes.
    public var minimumReceivedPingInterval: Duration = .seconds(300)
    /// Strikes allowed before GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
    public var maximumPingStrikes = 2
    /// Hooks run around every call.
    public var interceptors: [any ServerInterceptor] = []

    /// Creates the defaults.
    public init() {}
}
