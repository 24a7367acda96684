import FanHeatRPC

/// What a client call's owner hears from its stream (loop thread).
protocol ClientStreamObserver: AnyObject {
    /// Response headers arrived (not for trailers-only responses).
    func receivedHeaders(_ metadata: Metadata)
    /// A response message arrived.
    func receivedMessage(_ message: [UInt8])
    /// The call ended; `status.code == .ok` on success; `status.metadata` holds the trailers.
    func finished(_ status: RPCError)
    /// Whether response credit is returned only as messages are consumed (see `responseConsumed`).
    var consumesLazily: Bool { get }
}

/// One client call on a connection (loop thread only).
final class ClientStream: @unchecked Sendable {
    /// The stream id, -1 until submitted.
    var id: Int32 = -1
    /// The request header block.
    let headers: HeaderBlock
    /// The call's timeout.
    let timeout: Duration?
    /// Who hears about responses.
    let observer: any ClientStreamObserver
    /// Framed request bytes waiting for the server's window.
    var outgoing: [UInt8] = []
    var outgoingOffset = 0
    /// Whether the caller half-closed (END_STREAM after `outgoing`).
    var halfClosed = false
    var dataDeferred = false
    /// Response header parsing.
    var responseParser = ClientResponseHeadParser()
    var receivedHeaders = false
    var deframer: MessageDeframer
    /// Whether the call ended.
    var finished = false
    var deadlineTimer: LoopTimer?
    var writeWaiters: [CheckedContinuation<Void, any Error>] = []
    var queuedBytes = 0
    var heldCredit = 0

    /// Creates a stream.
    init(headers: HeaderBlock, timeout: Duration?, observer: any ClientStreamObserver, maximumMessageSize: Int) {
        self.headers = headers
        self.timeout = timeout
        self.observer = observer
        self.deframer = MessageDeframer(maximumMessageSize: maximumMessageSize)
    }

    /// Bytes waiting to be sent.
    var outgoingCount: Int { outgoing.count - outgoingOffset }

    /// Appends a framed message.
    func enqueue(message: [UInt8]) {
        if outgoingOffset == outgoing.count {
            outgoing.removeAll(keepingCapacity: true)
            outgoingOffset = 0
        }
        MessageFramer.append(message, to: &outgoing)
    }

    /// Copies up to `length` queued bytes into `buffer`.
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
