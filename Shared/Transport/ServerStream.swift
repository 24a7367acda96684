import FanHeatRPC

/// One gRPC call on a server connection (loop thread only).
final class ServerStream {
    /// The HTTP/2 stream id.
    let id: Int32
    /// Collects the request headers.
    var parser = ServerRequestHeadParser()
    /// The request path, once the headers are valid.
    var path = ""
    /// The method being served.
    var method: RegisteredMethod?
    /// The call's context.
    var context: ServerContext?
    /// Reassembles request messages.
    var deframer: MessageDeframer
    /// The request message of a `.unaryCallback` call.
    var unaryRequest: [UInt8]?
    /// Request messages for a `.streaming` handler.
    var requestQueue: MessageQueue<[UInt8]>?
    /// The handler task of a `.streaming` handler.
    var task: Task<Void, Never>?
    /// Framed response bytes waiting for the flow-control window.
    var outgoing: [UInt8] = []
    var outgoingOffset = 0
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
    /// Whether the headers were refused (too large, or already answered).
    var ignored = false
    /// Response writers suspended until `outgoing` drains.
    var writeWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Fires at the call's deadline.
    var deadlineTimer: LoopTimer?
    /// Request messages queued but not yet consumed by the handler, and credit withheld meanwhile.
    var queuedBytes = 0
    var heldCredit = 0
    /// When the headers arrived.
    let startTime = MonotonicClock.now
    /// Request / response message bytes (unframed).
    var requestBytes = 0
    var responseBytes = 0

    /// Creates a stream.
    init(id: Int32, maximumMessageSize: Int) {
        self.id = id
        self.deframer = MessageDeframer(maximumMessageSize: maximumMessageSize)
    }

    /// Bytes queued for sending.
    var outgoingCount: Int { outgoing.count - outgoingOffset }

    /// Appends a framed message for sending.
    func enqueue(message: [UInt8]) {
        if outgoingOffset == outgoing.count {
            outgoing.removeAll(keepingCapacity: true)
            outgoingOffset = 0
        }
        MessageFramer.append(message, to: &outgoing)
        responseBytes += message.count
    }

    /// Copies up to `length` queued bytes into `buffer`; returns the count.
    func drain(into buffer: UnsafeMutablePointer<UInt8>, length: Int) -> Int {
        let count = min(length, outgoingCount)
        guard count > 0 else { return 0 }
        outgoing.withUnsafeBufferPointer { source in
            buffer.update(from: source.baseAddress! + outgoingOffset, count: count)
        }
        outgoingOffset += count
        if outgoingOffset == outgoing.count {
            outgoing.removeAll(keepingCapacity: outgoing.capacity <= 256 * 1024)
            outgoingOffset = 0
        }
        return count
    }
}
