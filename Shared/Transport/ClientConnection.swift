import CNGHTTP2
import FanHeatRPC
import Glibc

/// The client side of one HTTP/2 connection (loop thread only): connects without
/// blocking, queues calls until the connection is up, then runs many concurrent
/// streams on it.
final class ClientConnection: HTTP2Connection, @unchecked Sendable {
    private enum State { case connecting, ready }
    private var state = State.connecting
    var streams: [Int32: ClientStream] = [:]
    private var waiting: [ClientStream] = []
    /// Set once the server sent GOAWAY: no new calls go here.
    private(set) var goingAway = false
    /// Whether the connection was established.
    var isReady: Bool { state == .ready && !isClosed }
    let maximumMessageSize: Int
    private var connectTimer: LoopTimer?
    /// Told when the connection becomes ready (true) or closes (false).
    var onStateChange: ((ClientConnection, Bool) -> Void)?

    /// Starts connecting to `address`.
    init(loop: EventLoop, address: SocketAddress, settings: HTTP2Settings, maximumMessageSize: Int,
         connectTimeout: Duration) throws(TransportError) {
        let descriptor = try Socket.connect(to: address)
        self.maximumMessageSize = maximumMessageSize
        super.init(loop: loop, descriptor: descriptor, peer: address.description, settings: settings)
        loop.register(descriptor, events: EpollFlags.output, handler: self)
        connectTimer = loop.schedule(after: connectTimeout) {
            guard self.state == .connecting else { return }
            self.close(reason: "connect timed out")
        }
    }

    override func handleEvents(_ events: UInt32) {
        guard state == .connecting else {
            super.handleEvents(events)
            return
        }
        if isClosed { return }
        let error = Socket.pendingError(descriptor)
        if error != 0 || events & (EpollFlags.error | EpollFlags.hangUp) != 0 {
            close(reason: error != 0 ? String(cString: strerror(error)) : "connection refused")
            return
        }
        connectTimer?.cancel()
        var created: OpaquePointer?
        var memory = loop.sessionAllocator.memory
        nghttp2_session_client_new3(&created, HTTP2Callbacks.table, Unmanaged.passUnretained(self).toOpaque(),
                                    HTTP2Callbacks.options, &memory)
        session = created
        state = .ready
        loop.modify(descriptor, events: EpollFlags.input | EpollFlags.readHangUp)
        submitInitialSettings()
        let queued = waiting
        waiting = []
        for stream in queued { submit(stream) }
        scheduleFlush()
        onStateChange?(self, true)
    }

    /// Starts `stream` now, or when the connection is up.
    func start(_ stream: ClientStream) {
        if isClosed || goingAway {
            stream.finished = true
            stream.observer.finished(RPCError(code: .unavailable, message: "connection to \(peer) is closed"))
            return
        }
        if let timeout = stream.timeout {
            stream.deadlineTimer = loop.schedule(after: timeout) {
                self.cancel(stream, error: RPCError(code: .deadlineExceeded, message: "deadline exceeded after \(timeout)"))
            }
        }
        if state == .connecting { waiting.append(stream) } else { submit(stream) }
    }

    private func submit(_ stream: ClientStream) {
        guard !stream.finished else { return }
        var provider = Self.dataProvider
        let id = nghttp2_submit_request(session, nil, stream.headers.pairs, stream.headers.count, &provider, nil)
        guard id > 0 else {
            complete(stream, RPCError(code: .unavailable, message: "cannot start a stream: \(String(cString: nghttp2_strerror(id)))"))
            return
        }
        stream.id = id
        streams[id] = stream
        scheduleFlush()
    }

    /// Queues a request message; `continuation` resumes when the outgoing buffer has room.
    func send(_ message: [UInt8], on stream: ClientStream, highWater: Int, continuation: CheckedContinuation<Void, any Error>) {
        guard !stream.finished, !stream.halfClosed else {
            continuation.resume(throwing: RPCError(code: .cancelled, message: "the call already ended"))
            return
        }
        stream.enqueue(message: message)
        resumeData(stream)
        if stream.outgoingCount > highWater { stream.writeWaiters.append(continuation) } else { continuation.resume() }
    }

    /// Ends the request side after the queued messages.
    func halfClose(_ stream: ClientStream) {
        guard !stream.finished, !stream.halfClosed else { return }
        stream.halfClosed = true
        resumeData(stream)
    }

    private func resumeData(_ stream: ClientStream) {
        if stream.dataDeferred && stream.id > 0 {
            stream.dataDeferred = false
            nghttp2_session_resume_data(session, stream.id)
        }
        scheduleFlush()
    }

    /// Cancels a call locally and resets its stream.
    func cancel(_ stream: ClientStream, error: RPCError) {
        guard !stream.finished else { return }
        if stream.id > 0 && !isClosed {
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, NGHTTP2_CANCEL.rawValue)
            scheduleFlush()
        }
        waiting.removeAll { $0 === stream }
        complete(stream, error)
    }

    /// The owner consumed a response message: return withheld credit.
    func responseConsumed(_ stream: ClientStream, size: Int, lowWater: Int) {
        stream.queuedBytes -= size
        if stream.queuedBytes <= lowWater && stream.heldCredit > 0 && stream.id > 0 && !isClosed {
            nghttp2_session_consume(session, stream.id, stream.heldCredit)
            stream.heldCredit = 0
            scheduleFlush()
        }
    }

    private func complete(_ stream: ClientStream, _ status: RPCError) {
        guard !stream.finished else { return }
        stream.finished = true
        stream.deadlineTimer?.cancel()
        let waiters = stream.writeWaiters
        stream.writeWaiters = []
        let error = status.code == .ok ? RPCError(code: .cancelled, message: "the call already ended") : status
        for waiter in waiters { waiter.resume(throwing: error) }
        stream.observer.finished(status)
    }

    // MARK: nghttp2 hooks

    override func readData(streamID: Int32, buffer: UnsafeMutablePointer<UInt8>, length: Int,
                           flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = streams[streamID] else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let count = stream.drain(into: buffer, length: length)
        if stream.outgoingCount == 0 {
            if stream.halfClosed {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            } else if count == 0 {
                stream.dataDeferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
        if !stream.writeWaiters.isEmpty && stream.outgoingCount <= 128 * 1024 {
            let waiters = stream.writeWaiters
            stream.writeWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        return count
    }

    override func beginHeaders(streamID: Int32, category: nghttp2_headers_category) -> Int32 {
        streams[streamID]?.responseParser = ClientResponseHeadParser()
        return 0
    }

    override func header(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let stream = streams[streamID] else { return 0 }
        stream.responseParser.add(name: headerStrings.string(name), value: headerStrings.string(value))
        return 0
    }

    override func headersReceived(streamID: Int32, endStream: Bool) {
        guard let stream = streams[streamID], !stream.finished else { return }
        let parser = stream.responseParser
        if !stream.receivedHeaders {
            stream.receivedHeaders = true
            if let error = parser.headersError() {
                cancel(stream, error: error)
            } else if parser.hasStatus {
                complete(stream, parser.status())
            } else if endStream {
                complete(stream, RPCError(code: .internal, message: "the server ended the stream without a status"))
            } else {
                stream.observer.receivedHeaders(parser.metadata)
            }
            return
        }
        if stream.deframer.hasPartialMessage {
            complete(stream, RPCError(code: .internal, message: "the response stream ended inside a message"))
        } else {
            complete(stream, parser.status())
        }
    }

    override func dataReceived(streamID: Int32, bytes: UnsafeRawBufferPointer) {
        guard let stream = streams[streamID], !stream.finished else {
            nghttp2_session_consume(session, streamID, bytes.count)
            return
        }
        stream.deframer.append(bytes)
        do throws(RPCError) {
            while let message = try stream.deframer.next() {
                stream.queuedBytes += message.count + MessageFramer.prefixLength
                stream.observer.receivedMessage(message)
            }
        } catch {
            nghttp2_session_consume(session, streamID, bytes.count)
            cancel(stream, error: error)
            return
        }
        if stream.observer.consumesLazily && stream.queuedBytes > 1024 * 1024 {
            stream.heldCredit += bytes.count
        } else {
            nghttp2_session_consume(session, streamID, bytes.count + stream.heldCredit)
            stream.heldCredit = 0
        }
    }

    override func endStreamReceived(streamID: Int32) {
        guard let stream = streams[streamID], !stream.finished else { return }
        complete(stream, RPCError(code: .internal, message: "the server ended the stream without trailers"))
    }

    override func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        if stream.heldCredit > 0 { nghttp2_session_consume_connection(session, stream.heldCredit) }
        guard !stream.finished else { return }
        let code: StatusCode
        switch errorCode {
        case NGHTTP2_CANCEL.rawValue: code = .cancelled
        case NGHTTP2_REFUSED_STREAM.rawValue: code = .unavailable
        case NGHTTP2_ENHANCE_YOUR_CALM.rawValue: code = .resourceExhausted
        default: code = .internal
        }
        complete(stream, RPCError(code: code, message: "the server reset the stream (HTTP/2 error \(errorCode))"))
    }

    override func goAwayReceived(lastStreamID: Int32, errorCode: UInt32) {
        goingAway = true
        onStateChange?(self, false)
    }

    override func connectionClosed(reason: String) {
        connectTimer?.cancel()
        let error = RPCError(code: .unavailable, message: "connection to \(peer) closed: \(reason)")
        let open = Array(streams.values) + waiting
        streams = [:]
        waiting = []
        for stream in open { complete(stream, error) }
        onStateChange?(self, false)
    }
}
