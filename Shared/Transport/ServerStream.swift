import FanHeatRPC
import FanHeatSync

/// One gRPC call on a server connection (loop thread only).
final class ServerStream {
    /// The HTTP/2 stream id.
    private(set) var id: Int32
    /// The request path, once the headers are valid.
    var path = ""
    /// The method being served.
    var method: RegisteredMethod?
    /// The call's context.
    var context: ServerContext?
    /// Reassembles request messages.
    var deframer: MessageDeframer
    /// The request message of a `.unaryCallback` call (valid while `hasUnaryRequest`; the
    /// buffer's capacity is kept when the stream is reused).
    var unaryRequest: [UInt8] = []
    /// Whether `unaryRequest` holds the call's request.
    var hasUnaryRequest = false
    /// Request messages for a `.streaming` handler.
    var requestQueue: MessageQueue<[UInt8]>?
    /// The handler task of a `.streaming` handler.
    var task: Task<Void, Never>?
    /// Framed response bytes waiting for the flow-control window (after `single`).
    private var outgoing: [UInt8] = []
    private var outgoingOffset = 0
    /// The first queued message kept as the handler made it (framed while draining, so a
    /// unary response is never copied into `outgoing`), and how much of prefix + message went out.
    private var single: [UInt8]?
    private var singleOffset = 0
    /// The trailers to send once `outgoing` drains.
    var pendingTrailers: HeaderBlock?
    /// Whether response headers were submitted.
    var headersSent = false
    /// Whether nghttp2 deferred the data provider (must be resumed).
    var dataDeferred = false
    /// Whether the status was submitted.
    var finished = false
    /// Whether the client half-closed.
    var remoteClosed = false
    /// Response writers suspended until `outgoing` drains.
    var writeWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Fires at the call's deadline.
    var deadlineTimer: LoopTimer?
    /// Request messages queued but not yet consumed by the handler, and credit withheld meanwhile.
    var queuedBytes = 0
    var heldCredit = 0
    /// When the headers arrived.
    private(set) var startTime = MonotonicClock.now
    /// Request / response message bytes (unframed).
    var requestBytes = 0
    var responseBytes = 0

    /// Creates a stream.
    init(id: Int32, maximumMessageSize: Int) {
        self.id = id
        self.deframer = MessageDeframer(maximumMessageSize: maximumMessageSize)
    }

    /// Drops everything of the finished call but the buffers' capacity, for reuse.
    func recycle() {
        method = nil
        context = nil
        requestQueue = nil
        task = nil
        pendingTrailers = nil
        deadlineTimer = nil
        writeWaiters = []
        single = nil
        if unaryRequest.capacity > 64 * 1024 { unaryRequest = [] }
        if outgoing.capacity > 64 * 1024 { outgoing = [] }
        deframer.reset()
    }

    /// Makes a recycled stream the fresh state of stream `id`.
    func reuse(id: Int32) {
        self.id = id
        path = ""
        hasUnaryRequest = false
        unaryRequest.removeAll(keepingCapacity: true)
        outgoing.removeAll(keepingCapacity: true)
        outgoingOffset = 0
        singleOffset = 0
        headersSent = false
        dataDeferred = false
        finished = false
        remoteClosed = false
        queuedBytes = 0
        heldCredit = 0
        startTime = MonotonicClock.now
        requestBytes = 0
        responseBytes = 0
    }

    /// Bytes queued for sending.
    var outgoingCount: Int {
        var count = outgoing.count - outgoingOffset
        if let single { count += MessageFramer.prefixLength + single.count - singleOffset }
        return count
    }

    /// Appends a framed message for sending.
    func enqueue(message: [UInt8]) {
        responseBytes += message.count
        if single == nil && outgoingOffset == outgoing.count {
            outgoing.removeAll(keepingCapacity: true)
            outgoingOffset = 0
            single = message
            singleOffset = 0
            return
        }
        MessageFramer.append(message, to: &outgoing)
    }

    /// Copies up to `length` queued bytes into `buffer`; returns the count.
    func drain(into buffer: UnsafeMutablePointer<UInt8>, length: Int) -> Int {
        var written = 0
        if let message = single {
            written = drainSingle(message, into: buffer, length: length)
            if single != nil { return written }
        }
        let count = min(length - written, outgoing.count - outgoingOffset)
        guard count > 0 else { return written }
        outgoing.withUnsafeBufferPointer { source in
            (buffer + written).update(from: source.baseAddress! + outgoingOffset, count: count)
        }
        outgoingOffset += count
        if outgoingOffset == outgoing.count {
            outgoing.removeAll(keepingCapacity: outgoing.capacity <= 256 * 1024)
            outgoingOffset = 0
        }
        return written + count
    }

    private func drainSingle(_ message: [UInt8], into buffer: UnsafeMutablePointer<UInt8>, length: Int) -> Int {
        var written = 0
        let prefixLength = MessageFramer.prefixLength
        if singleOffset < prefixLength {
            let size = UInt32(truncatingIfNeeded: message.count)
            let prefix: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, UInt8(truncatingIfNeeded: size >> 24),
                UInt8(truncatingIfNeeded: size >> 16), UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size))
            withUnsafeBytes(of: prefix) { bytes in
                while singleOffset < prefixLength && written < length {
                    buffer[written] = bytes[singleOffset]
                    written += 1
                    singleOffset += 1
                }
            }
        }
        let start = singleOffset - prefixLength
        let count = min(length - written, message.count - start)
        if count > 0 {
            message.withUnsafeBufferPointer { source in
                (buffer + written).update(from: source.baseAddress! + start, count: count)
            }
            written += count
            singleOffset += count
        }
        if singleOffset == prefixLength + message.count {
            single = nil
            singleOffset = 0
        }
        return written
    }
}
