import CNGHTTP2
import FanHeatRPC
import FanHeatSync
import Glibc

/// Settings shared by server and client connections.
public struct HTTP2Settings: Sendable {
    /// SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window.
    public var streamWindowSize: Int32 = 4 * 1024 * 1024
    /// The connection-level receive window (raised with WINDOW_UPDATE at start).
    public var connectionWindowSize: Int32 = 16 * 1024 * 1024
    /// SETTINGS_MAX_CONCURRENT_STREAMS the peer may open.
    public var maximumConcurrentStreams: UInt32 = 1000
    /// SETTINGS_MAX_HEADER_LIST_SIZE; larger header blocks reset the stream.
    public var maximumHeaderListSize: Int = 16 * 1024
    /// SETTINGS_MAX_FRAME_SIZE.
    public var maximumFrameSize: UInt32 = 64 * 1024
    /// Output held before a connection stops reading from its socket.
    public var outputHighWater = 1024 * 1024

    /// Creates the defaults.
    public init() {}
}

/// The socket I/O and nghttp2 session shared by server and client connections: reads
/// feed `nghttp2_session_mem_recv`, output from `nghttp2_session_mem_send` is coalesced
/// into one buffer and written once per loop turn.
class HTTP2Connection: EventLoopHandler, EventLoopFlushable, @unchecked Sendable {
    /// The loop that owns this connection; every method runs on it.
    let loop: EventLoop
    /// The socket.
    let descriptor: Int32
    /// The remote address.
    let peer: String
    /// The settings in force.
    let settings: HTTP2Settings
    /// The nghttp2 session (set by subclasses).
    var session: OpaquePointer?
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var flushScheduled = false
    private var watchingOutput = false
    private var readingPaused = false
    private var moreOutputPending = false
    /// Whether `nghttp2_session_mem_recv` is running (a close inside it defers deleting the session).
    private var receiving = false
    /// Whether the connection is closed.
    private(set) var isClosed = false
    /// Received header names and values as Strings, built once per distinct value.
    var headerStrings = HeaderStringCache()
    /// Last time a frame was read, for idle detection.
    var lastActivity = MonotonicClock.now

    /// Wraps an open socket.
    init(loop: EventLoop, descriptor: Int32, peer: String, settings: HTTP2Settings) {
        self.loop = loop
        self.descriptor = descriptor
        self.peer = peer
        self.settings = settings
        output.reserveCapacity(64 * 1024)
    }

    /// Registers the socket with the loop for reading.
    func startWatching() {
        loop.register(descriptor, events: EpollFlags.input | EpollFlags.readHangUp, handler: self)
    }

    /// Sends the initial SETTINGS and raises the connection window.
    func submitInitialSettings() {
        let entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: settings.maximumConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                                   value: UInt32(settings.streamWindowSize)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue),
                                   value: settings.maximumFrameSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                                   value: UInt32(settings.maximumHeaderListSize)),
            // gRPC does not use HTTP/2 stream priorities: no RFC 7540 priority tree
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES.rawValue), value: 1),
        ]
        entries.withUnsafeBufferPointer { buffer in
            _ = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), buffer.baseAddress, buffer.count)
        }
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, settings.connectionWindowSize)
    }

    /// Handles readiness.
    func handleEvents(_ events: UInt32) {
        if isClosed { return }
        if events & EpollFlags.output != 0 {
            writeOutput()
            if isClosed { return }
        }
        if events & (EpollFlags.input | EpollFlags.error | EpollFlags.hangUp | EpollFlags.readHangUp) != 0 {
            readInput()
        }
    }

    private func readInput() {
        let buffer = loop.readBuffer
        while !readingPaused {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count > 0 {
                lastActivity = MonotonicClock.now
                receiving = true
                let consumed = nghttp2_session_mem_recv(session, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count)
                receiving = false
                if isClosed {
                    deleteSession()
                    return
                }
                if consumed < 0 {
                    protocolFailure(Int32(consumed))
                    return
                }
                if count < buffer.count { break }
            } else if count == 0 {
                close(reason: "peer closed the connection")
                return
            } else {
                let error = fanheat_errno()
                if error == EINTR { continue }
                if error == EAGAIN || error == EWOULDBLOCK { break }
                close(reason: "read failed: \(String(cString: strerror(error)))")
                return
            }
        }
        scheduleFlush()
    }

    /// Handles a fatal protocol error from nghttp2: sends what it queued (GOAWAY) and closes.
    func protocolFailure(_ code: Int32) {
        flushOutput()
        close(reason: "HTTP/2 error: \(String(cString: nghttp2_strerror(code)))")
    }

    /// Queues this connection for the loop's flush phase.
    func scheduleFlush() {
        guard !flushScheduled, !isClosed else { return }
        flushScheduled = true
        loop.scheduleFlush(self)
    }

    /// Generates nghttp2's pending frames into the output buffer and writes them.
    func flushOutput() {
        flushScheduled = false
        guard !isClosed, let session else { return }
        guard outputOffset == output.count else { return }
        moreOutputPending = false
        while true {
            var pointer: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &pointer)
            if count < 0 {
                close(reason: "HTTP/2 send error: \(String(cString: nghttp2_strerror(Int32(count))))")
                return
            }
            if count == 0 { break }
            output.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
            if output.count >= settings.outputHighWater {
                moreOutputPending = true
                break
            }
        }
        writeOutput()
        if isClosed { return }
        if outputOffset == output.count && nghttp2_session_want_read(session) == 0
            && nghttp2_session_want_write(session) == 0 {
            close(reason: "session finished")
        }
    }

    private func writeOutput() {
        while outputOffset < output.count {
            // send(MSG_NOSIGNAL), not write(): a peer that closed its end must surface as
            // EPIPE here, never as a process-killing SIGPIPE in a program that did not
            // ignore the signal.
            let count = output.withUnsafeBytes { bytes in
                Glibc.send(descriptor, bytes.baseAddress! + outputOffset, bytes.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                outputOffset += count
                continue
            }
            let error = fanheat_errno()
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK {
                watchOutput(true)
                return
            }
            close(reason: "write failed: \(String(cString: strerror(error)))")
            return
        }
        output.removeAll(keepingCapacity: output.capacity <= 4 * 1024 * 1024)
        outputOffset = 0
        watchOutput(false)
        if moreOutputPending { scheduleFlush() }
    }

    private func watchOutput(_ watch: Bool) {
        let pause = watch && output.count - outputOffset >= settings.outputHighWater
        guard watch != watchingOutput || pause != readingPaused else { return }
        watchingOutput = watch
        readingPaused = pause
        var events = EpollFlags.readHangUp
        if !pause { events |= EpollFlags.input }
        if watch { events |= EpollFlags.output }
        loop.modify(descriptor, events: events)
    }

    /// Closes the socket and the session; subclasses fail their streams in ``connectionClosed(reason:)``.
    func close(reason: String) {
        guard !isClosed else { return }
        isClosed = true
        loop.unregister(descriptor)
        Glibc.close(descriptor)
        connectionClosed(reason: reason)
        if !receiving { deleteSession() }
        output = []
    }

    private func deleteSession() {
        if let session { nghttp2_session_del(session) }
        session = nil
    }

    /// Called once when the connection closes (subclass hook).
    func connectionClosed(reason: String) {}

    // MARK: nghttp2 callback targets (subclass hooks)

    /// A HEADERS frame for a new stream (request) or a response/trailer block begins.
    func beginHeaders(streamID: Int32, category: nghttp2_headers_category) -> Int32 { 0 }
    /// One header field, as bytes valid only during the call; return non-zero to reset the stream.
    func header(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Int32 { 0 }
    /// A complete HEADERS frame arrived.
    func headersReceived(streamID: Int32, endStream: Bool) {}
    /// A DATA chunk arrived.
    func dataReceived(streamID: Int32, bytes: UnsafeRawBufferPointer) {}
    /// The peer ended its side of the stream with a DATA frame.
    func endStreamReceived(streamID: Int32) {}
    /// A stream closed (normally, or reset by either side).
    func streamClosed(streamID: Int32, errorCode: UInt32) {}
    /// A PING (not an ack) arrived.
    func pingReceived() {}
    /// A GOAWAY arrived.
    func goAwayReceived(lastStreamID: Int32, errorCode: UInt32) {}
    /// Copies outgoing DATA for a stream into `buffer` (see nghttp2_data_source_read_callback).
    func readData(streamID: Int32, buffer: UnsafeMutablePointer<UInt8>, length: Int,
                  flags: UnsafeMutablePointer<UInt32>) -> Int { Int(NGHTTP2_ERR_DEFERRED.rawValue) }

    /// The nghttp2 data provider that pulls from ``readData(streamID:buffer:length:flags:)``.
    static var dataProvider: nghttp2_data_provider {
        nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: { _, streamID, buffer, length, flags, _, userData in
            HTTP2Callbacks.with(userData) { connection in
                connection.readData(streamID: streamID, buffer: buffer!, length: length, flags: flags!)
            }
        })
    }

    /// Submits a header block on `streamID` as a response (with optional data provider).
    func submitResponse(streamID: Int32, block: HeaderBlock, withData: Bool) {
        if withData {
            var provider = Self.dataProvider
            nghttp2_submit_response(session, streamID, block.pairs, block.count, &provider)
        } else {
            nghttp2_submit_response(session, streamID, block.pairs, block.count, nil)
        }
    }
}
