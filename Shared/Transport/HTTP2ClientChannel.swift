import FanHeatRPC
import Synchronization

/// A gRPC channel to `host:port`: the name is resolved once (every address is used,
/// round robin), each address gets `connectionsPerAddress` connections spread over the
/// group's loops, many calls share each connection, failed connections are retried
/// with exponential backoff, and calls that cannot connect fail with UNAVAILABLE.
public final class HTTP2ClientChannel: @unchecked Sendable {
    /// The target as given.
    public let target: String
    /// The `:authority` sent.
    public let authority: String
    let configuration: ClientConfiguration
    let subchannels: [Subchannel]
    private let nextIndex = Atomic<Int>(0)
    private let localTurn = Atomic<Int>(0)

    /// Creates a channel (no connection is made until the first call). `target` is
    /// `HOST:PORT` (every address the name resolves to is used) or a comma-separated list
    /// `HOST:PORT,HOST:PORT,...` of static backends; calls go round robin over all of them.
    public init(target: String, group: EventLoopGroup = .shared,
                configuration: ClientConfiguration = ClientConfiguration()) throws(TransportError) {
        var addresses: [SocketAddress] = []
        for part in target.split(separator: ",", omittingEmptySubsequences: false) {
            let backend = String(part.filter { $0 != " " })
            guard let (host, port) = Socket.splitHostPort(backend), !backend.hasPrefix(":") else {
                throw TransportError("invalid target \(target); expected HOST:PORT or HOST:PORT,HOST:PORT,...")
            }
            addresses += try SocketAddress.resolve(host: host, port: port)
        }
        guard !addresses.isEmpty else { throw TransportError("\(target) resolved to no address") }
        self.target = target
        self.authority = String((target.split(separator: ",").first ?? Substring(target)).filter { $0 != " " })
        self.configuration = configuration
        var subchannels: [Subchannel] = []
        for _ in 0..<max(1, configuration.connectionsPerAddress) {
            for address in addresses {
                subchannels.append(Subchannel(loop: group.next(), address: address, configuration: configuration))
            }
        }
        self.subchannels = subchannels
    }

    /// The next subchannel round robin, skipping those backing off after a failed
    /// connection while any other is usable (so one dead backend does not fail calls).
    func pick() -> Subchannel {
        let start = nextIndex.add(1, ordering: .relaxed).oldValue
        if subchannels.count == 1 { return subchannels[0] }
        return firstUsable(from: start) { _ in true } ?? subchannels[start % subchannels.count]
    }

    /// The first subchannel from position `start` on (wrapping) that is not backing off
    /// and satisfies `condition`.
    private func firstUsable(from start: Int, where condition: (Subchannel) -> Bool) -> Subchannel? {
        let count = subchannels.count
        for step in 0..<count {
            let candidate = subchannels[(start &+ step) % count]
            if !candidate.isBackingOff && condition(candidate) { return candidate }
        }
        return nil
    }

    /// Starts a call whose events go to `observer`; `prepare` may queue request bytes first.
    func startCall(path: String, metadata: Metadata, timeout: Duration?, observer: any ClientStreamObserver,
                   prepare: (ClientStream) -> Void = { _ in }) -> ClientCall {
        let headers = HeaderBlock(ClientRequestHead.headers(path: path, authority: authority, timeout: timeout, metadata: metadata))
        return startCall(headers: headers, timeout: timeout, observer: observer, prepare: prepare)
    }

    /// A subchannel whose loop is the calling thread (round robin among those, skipping
    /// any backing off), or nil when the caller is not on one of the channel's loops.
    func pickOnCurrentLoop() -> Subchannel? {
        // Its own turn counter: taking turns from `nextIndex` here as well would make
        // every fallback to `pick()` skip one subchannel (with two, always the same one).
        firstUsable(from: localTurn.add(1, ordering: .relaxed).oldValue) { $0.loop.inEventLoop }
    }

    /// Starts a call with a ready header block.
    private func startCall(headers: HeaderBlock, timeout: Duration?, observer: any ClientStreamObserver,
                           stayOnCurrentLoop: Bool = false, prepare: (ClientStream) -> Void) -> ClientCall {
        let subchannel = (stayOnCurrentLoop ? pickOnCurrentLoop() : nil) ?? pick()
        let stream = ClientStream(headers: headers, timeout: timeout, observer: observer,
                                  maximumMessageSize: configuration.maximumReceiveMessageSize)
        prepare(stream)
        let call = ClientCall(loop: subchannel.loop, stream: stream, connection: nil,
                              requestHighWater: configuration.requestHighWater)
        let begin: @Sendable () -> Void = {
            switch subchannel.connectionForCall() {
            case .success(let connection):
                call.connection = connection
                connection.start(stream)
            case .failure(let error):
                stream.finished = true
                stream.observer.finished(error)
            }
        }
        if subchannel.loop.inEventLoop { begin() } else { subchannel.loop.execute(begin) }
        return call
    }

    /// Low-level unary call for load generation: no task, no typed messages. `completion`
    /// runs on the connection's event loop thread; starting the next call from it is cheap.
    @discardableResult
    public func startUnaryCall(path: String, requestBytes: [UInt8], metadata: Metadata = Metadata(),
                               timeout: Duration? = nil,
                               completion: @escaping @Sendable (ClientCallResult) -> Void) -> ClientCall {
        startCall(path: path, metadata: metadata, timeout: timeout, observer: UnaryCallObserver(completion: completion)) {
            $0.enqueue(message: requestBytes)
            $0.halfClosed = true
        }
    }

    /// Builds the request head (path, authority, timeout, metadata) once, for a caller that
    /// makes many calls with the same head, such as a load generator: each call then
    /// skips laying out and validating its header block.
    public func prepareCall(path: String, metadata: Metadata = Metadata(), timeout: Duration? = nil) -> PreparedCallHead {
        PreparedCallHead(
            headers: HeaderBlock(ClientRequestHead.headers(path: path, authority: authority, timeout: timeout, metadata: metadata)),
            timeout: timeout)
    }

    /// ``startUnaryCall(path:requestBytes:metadata:timeout:completion:)`` with a head built
    /// by ``prepareCall(path:metadata:timeout:)``. With `stayOnCurrentLoop`, a call started
    /// on one of the channel's loop threads (typically from the previous call's completion)
    /// goes to a connection of that loop, with no hop to another thread; calls from other
    /// threads, or with it false, go round robin over all connections.
    @discardableResult
    public func startUnaryCall(_ head: PreparedCallHead, requestBytes: [UInt8], stayOnCurrentLoop: Bool = false,
                               completion: @escaping @Sendable (ClientCallResult) -> Void) -> ClientCall {
        startCall(headers: head.headers, timeout: head.timeout, observer: UnaryCallObserver(completion: completion),
                  stayOnCurrentLoop: stayOnCurrentLoop) {
            $0.enqueue(message: requestBytes)
            $0.halfClosed = true
        }
    }

    /// Closes every connection; calls in flight fail with UNAVAILABLE.
    public func close() {
        for subchannel in subchannels {
            subchannel.loop.execute { subchannel.close() }
        }
    }
}

/// A request head built once by ``HTTP2ClientChannel/prepareCall(path:metadata:timeout:)``
/// and shared by many calls (nghttp2 copies the header block at each submit, so sharing
/// it between calls on different loop threads is safe: nobody writes to it).
public final class PreparedCallHead: Sendable {
    let headers: HeaderBlock
    let timeout: Duration?

    init(headers: HeaderBlock, timeout: Duration?) {
        self.headers = headers
        self.timeout = timeout
    }
}
