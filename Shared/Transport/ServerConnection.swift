import CNGHTTP2
import FanHeatRPC
import FanHeatSync
import Glibc

/// The server side of one HTTP/2 connection: turns nghttp2 callbacks into gRPC calls
/// dispatched to the router's handlers (loop thread only).
final class ServerConnection: HTTP2Connection, UnaryCompletionTarget, @unchecked Sendable {
    let router: ServiceRouter
    let configuration: ServerConfiguration
    weak var owner: ServerConnectionOwner?
    private(set) var streams = StreamTable<ServerStream>()
    /// The stream of the last lookup: nghttp2 delivers a stream's frames together, so most
    /// lookups hit it without hashing.
    private var lastStream: ServerStream?
    /// The request header block being received (header blocks never interleave on a
    /// connection), its stream (0: none) and whether it went over the size limit.
    var requestParser = ServerRequestHeadParser()
    private var requestHeadersStream: Int32 = 0
    private var requestHeadersTooLarge = false
    /// The method of the last `:path` seen, keyed by that path String (the header cache
    /// hands out the same String for the same bytes, so the comparison is cheap).
    private var lastPath = ""
    private var lastMethod: RegisteredMethod?
    /// Closed streams kept for reuse (with their buffers' capacity): no allocation per call.
    private var streamPool: [ServerStream] = []
    var draining = false
    private var pingStrikes = 0
    private var lastPingReceived: UInt64 = 0
    var dataSentSincePing = true
    private var pingSentAt: UInt64?
    private var housekeeping: LoopTimer?

    /// Creates the connection on an accepted socket and sends the server preface.
    init(loop: EventLoop, descriptor: Int32, peer: String, router: ServiceRouter,
         configuration: ServerConfiguration, owner: ServerConnectionOwner) {
        self.router = router
        self.configuration = configuration
        self.owner = owner
        super.init(loop: loop, descriptor: descriptor, peer: peer, settings: configuration.http2)
        var created: OpaquePointer?
        var memory = loop.sessionAllocator.memory
        nghttp2_session_server_new3(&created, HTTP2Callbacks.table, Unmanaged.passUnretained(self).toOpaque(),
                                    HTTP2Callbacks.options, &memory)
        session = created
        submitInitialSettings()
        startWatching()
        scheduleFlush()
        scheduleHousekeeping()
    }

    // MARK: Sending

    override func readData(streamID: Int32, buffer: UnsafeMutablePointer<UInt8>, length: Int,
                           flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = stream(streamID) else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let count = stream.drain(into: buffer, length: length)
        if count > 0 { dataSentSincePing = true }
        if stream.outgoingCount == 0 {
            if let trailers = stream.pendingTrailers {
                stream.pendingTrailers = nil
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                nghttp2_submit_trailer(session, streamID, trailers.pairs, trailers.count)
            } else if count == 0 {
                stream.dataDeferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
        if !stream.writeWaiters.isEmpty && stream.outgoingCount <= configuration.responseHighWater / 2 {
            let waiters = stream.writeWaiters
            stream.writeWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        return count
    }

    // MARK: Streams

    /// The open stream `id`, if any.
    func stream(_ id: Int32) -> ServerStream? {
        if let lastStream, lastStream.id == id { return lastStream }
        let found = streams[id]
        if found != nil { lastStream = found }
        return found
    }

    private func removeStream(_ id: Int32) -> ServerStream? {
        if lastStream?.id == id { lastStream = nil }
        return streams.remove(id)
    }

    private func lookUpMethod(_ path: String) -> RegisteredMethod? {
        if let lastMethod, path == lastPath { return lastMethod }
        let found = router.method(forPath: path)
        if found != nil {
            lastPath = path
            lastMethod = found
        }
        return found
    }

    // MARK: Receiving

    override func beginHeaders(streamID: Int32, category: nghttp2_headers_category) -> Int32 {
        if category == NGHTTP2_HCAT_REQUEST {
            let stream: ServerStream
            if let reused = streamPool.popLast() {
                reused.reuse(id: streamID)
                stream = reused
            } else {
                stream = ServerStream(id: streamID, maximumMessageSize: configuration.maximumReceiveMessageSize)
            }
            streams.insert(stream, for: streamID)
            lastStream = stream
            requestParser = ServerRequestHeadParser()
            requestHeadersStream = streamID
            requestHeadersTooLarge = false
        } else {
            requestHeadersStream = 0
        }
        return 0
    }

    override func header(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard streamID == requestHeadersStream, !requestHeadersTooLarge else { return 0 }
        addRequestHeader(name: name, value: value)
        if requestParser.headerBytes > settings.maximumHeaderListSize { requestHeadersTooLarge = true }
        return 0
    }

    override func headersReceived(streamID: Int32, endStream: Bool) {
        guard let stream = stream(streamID) else { return }
        if streamID == requestHeadersStream && stream.context == nil && !stream.finished {
            requestHeadersStream = 0
            if requestHeadersTooLarge {
                finish(stream, error: RPCError(code: .resourceExhausted,
                    message: "request headers exceed the limit of \(settings.maximumHeaderListSize) bytes"))
            } else {
                switch requestParser.finish() {
                case .failure(let rejection):
                    refuse(stream, rejection)
                case .success(let head):
                    startCall(stream, head)
                }
            }
        }
        if endStream { endStreamReceived(streamID: streamID) }
    }

    private func refuse(_ stream: ServerStream, _ rejection: ServerRequestRejection) {
        stream.finished = true
        stream.headersSent = true
        submitResponse(streamID: stream.id, block: HeaderBlock(rejection.responseHeaders), withData: false)
        report(stream, code: rejection.error.code, message: rejection.error.message)
        scheduleFlush()
    }

    private func startCall(_ stream: ServerStream, _ head: ServerRequestHead) {
        stream.path = head.path
        let deadline = head.timeout.map { ContinuousClock.now + $0 }
        let context = ServerContext(metadata: head.metadata, path: head.path, peer: peer, deadline: deadline)
        stream.context = context
        guard let method = lookUpMethod(head.path) else {
            finish(stream, error: RPCError(code: .unimplemented, message: unknownMethodMessage(head.path)))
            return
        }
        stream.method = method
        let interceptors = configuration.interceptors
        for index in interceptors.indices {
            if let error = interceptors[index].admit(context, method: method) {
                finish(stream, error: error)
                return
            }
        }
        if let timeout = head.timeout {
            let streamID = stream.id
            stream.deadlineTimer = loop.schedule(after: timeout) { self.deadlineExpired(streamID) }
        }
        if case .streaming(let handler) = method.handler {
            startStreamingHandler(stream, handler: handler, context: context)
        }
    }

    private func unknownMethodMessage(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return "malformed method path \(path)" }
        if router.methods.values.contains(where: { $0.service == parts[0] }) {
            return "method \(parts[1]) not found in service \(parts[0])"
        }
        return "service \(parts[0]) not found (method path \(path))"
    }

    override func dataReceived(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = stream(streamID), !stream.finished, let method = stream.method else {
            nghttp2_session_consume(session, streamID, bytes.count)
            return
        }
        do throws(RPCError) {
            if let queue = stream.requestQueue {
                stream.deframer.append(bytes)
                while let message = try stream.deframer.next() {
                    stream.requestBytes += message.count
                    stream.queuedBytes += message.count + MessageFramer.prefixLength
                    queue.push(message)
                }
                if stream.queuedBytes > configuration.requestHighWater {
                    stream.heldCredit += bytes.count
                } else {
                    nghttp2_session_consume(session, streamID, bytes.count + stream.heldCredit)
                    stream.heldCredit = 0
                }
            } else {
                nghttp2_session_consume(session, streamID, bytes.count)
                if let range = try stream.deframer.wholeMessageRange(in: bytes) {
                    try acceptUnaryRequest(UnsafeRawBufferPointer(rebasing: bytes[range]), stream: stream, method: method)
                    return
                }
                stream.deframer.append(bytes)
                while let message = try stream.deframer.next() {
                    try checkUnaryRequest(stream: stream, method: method)
                    stream.requestBytes += message.count
                    stream.hasUnaryRequest = true
                    stream.unaryRequest = message
                }
            }
        } catch {
            failCall(stream, error: error)
        }
    }

    private func checkUnaryRequest(stream: ServerStream, method: RegisteredMethod) throws(RPCError) {
        guard !stream.hasUnaryRequest, method.kind == .unary || method.kind == .serverStreaming else {
            throw RPCError(code: .unimplemented, message: "unary call carried more than one request message")
        }
    }

    /// Keeps the request message of a unary callback call (in the stream's reused buffer).
    private func acceptUnaryRequest(_ message: UnsafeRawBufferPointer, stream: ServerStream,
                                    method: RegisteredMethod) throws(RPCError) {
        try checkUnaryRequest(stream: stream, method: method)
        stream.requestBytes += message.count
        stream.hasUnaryRequest = true
        stream.unaryRequest.removeAll(keepingCapacity: true)
        stream.unaryRequest.append(contentsOf: message)
    }

    /// The streaming handler consumed a request message: return its flow-control credit if withheld.
    func requestConsumed(streamID: Int32, size: Int) {
        guard let stream = stream(streamID) else { return }
        stream.queuedBytes -= size
        if stream.queuedBytes <= configuration.requestHighWater && stream.heldCredit > 0 {
            nghttp2_session_consume(session, streamID, stream.heldCredit)
            stream.heldCredit = 0
            scheduleFlush()
        }
    }

    override func endStreamReceived(streamID: Int32) {
        guard let stream = stream(streamID), !stream.remoteClosed else { return }
        stream.remoteClosed = true
        guard !stream.finished, let method = stream.method else { return }
        if stream.deframer.hasPartialMessage {
            failCall(stream, error: RPCError(code: .internal, message: "the request stream ended inside a message"))
            return
        }
        switch method.handler {
        case .unaryCallback(let handler):
            runUnaryCallback(stream, handler: handler)
        case .streaming:
            stream.requestQueue?.finish()
        }
    }

    override func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard var stream = removeStream(streamID) else { return }
        defer {
            if streamPool.count < 128 && isKnownUniquelyReferenced(&stream) {
                stream.recycle()
                streamPool.append(stream)
            }
        }
        stream.deadlineTimer?.cancel()
        if stream.heldCredit > 0 { nghttp2_session_consume_connection(session, stream.heldCredit) }
        if !stream.finished {
            stream.finished = true
            let error = RPCError(code: .cancelled, message: "the client cancelled the call")
            cancelHandler(stream, error: error)
            if stream.context != nil { report(stream, code: .cancelled, message: error.message) }
        } else {
            cancelHandler(stream, error: RPCError(code: .cancelled, message: "the call already ended"))
        }
    }

    override func pingReceived() {
        let now = MonotonicClock.now
        if !dataSentSincePing && now &- lastPingReceived < MonotonicClock.nanoseconds(configuration.minimumReceivedPingInterval) {
            pingStrikes += 1
        }
        lastPingReceived = now
        dataSentSincePing = false
        if pingStrikes > configuration.maximumPingStrikes {
            goAway(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue, debug: "too_many_pings")
        }
    }

    /// Sends GOAWAY with the last processed stream id and closes once it is written.
    func goAway(errorCode: UInt32, debug: String) {
        let lastStreamID = nghttp2_session_get_last_proc_stream_id(session)
        var bytes = Array(debug.utf8)
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID, errorCode, &bytes, bytes.count)
        flushOutput()
        close(reason: "GOAWAY \(debug)")
    }

    /// Graceful shutdown: GOAWAY with the last stream id; the connection closes when its calls end.
    func beginDrain() {
        guard !draining, !isClosed else { return }
        draining = true
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
                              NGHTTP2_NO_ERROR.rawValue, nil, 0)
        scheduleFlush()
    }

    override func connectionClosed(reason: String) {
        housekeeping?.cancel()
        housekeeping = nil
        let open = streams.allValues
        streams.removeAll()
        lastStream = nil
        for stream in open {
            stream.deadlineTimer?.cancel()
            let error = RPCError(code: .cancelled, message: "the connection closed: \(reason)")
            if !stream.finished {
                stream.finished = true
                cancelHandler(stream, error: error)
                if stream.context != nil { report(stream, code: .cancelled, message: error.message) }
            } else {
                cancelHandler(stream, error: error)
            }
        }
        owner?.connectionDidClose(self)
    }

    private func scheduleHousekeeping() {
        housekeeping = loop.schedule(after: .seconds(1)) {
            guard !self.isClosed else { return }
            self.checkLiveness()
            if !self.isClosed { self.scheduleHousekeeping() }
        }
    }

    private func checkLiveness() {
        let now = MonotonicClock.now
        if streams.isEmpty && now &- lastActivity > MonotonicClock.nanoseconds(configuration.idleTimeout) {
            goAway(errorCode: NGHTTP2_NO_ERROR.rawValue, debug: "idle")
            return
        }
        if let sent = pingSentAt {
            if lastActivity > sent {
                pingSentAt = nil
            } else if now &- sent > MonotonicClock.nanoseconds(configuration.keepaliveTimeout) {
                close(reason: "keepalive ping unanswered")
            }
        } else if let interval = configuration.keepaliveInterval,
                  now &- lastActivity > MonotonicClock.nanoseconds(interval) {
            nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
            pingSentAt = now
            scheduleFlush()
        }
    }
}

/// Tracks a server's live connections.
protocol ServerConnectionOwner: AnyObject {
    /// A connection closed.
    func connectionDidClose(_ connection: ServerConnection)
}
