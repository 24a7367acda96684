/// Reassembles gRPC length-prefixed messages from DATA frame payloads cut at
/// arbitrary boundaries, enforcing the maximum message size and rejecting
/// compressed messages (no compression is negotiated).
public struct MessageDeframer: Sendable {
    /// The default maximum size of one received message: 4 MiB.
    public static let defaultMaximumMessageSize = 4 * 1024 * 1024

    /// The largest message accepted; a longer one fails with RESOURCE_EXHAUSTED.
    public let maximumMessageSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Creates a deframer.
    public init(maximumMessageSize: Int = MessageDeframer.defaultMaximumMessageSize) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Bytes received but not yet returned as a message.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether a message has started but not completed (a truncated stream).
    public var hasPartialMessage: Bool { bufferedByteCount > 0 }

    /// Drops buffered bytes (keeping a small buffer's capacity), for reuse by a new stream.
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
        readIndex = 0
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The fast path for the common case of a DATA chunk holding exactly one whole
    /// message while nothing is buffered: returns the message's range in `bytes` (nothing
    /// is copied or buffered), or `nil` when the chunk is anything else (then use
    /// `append(_:)` and ``next()``). Throws like ``next()`` for an oversized or
    /// compressed message.
    public func wholeMessageRange(in bytes: UnsafeRawBufferPointer) throws(RPCError) -> Range<Int>? {
        guard readIndex == buffer.count, bytes.count >= MessageFramer.prefixLength else { return nil }
        let length = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
        guard MessageFramer.prefixLength + length == bytes.count else { return nil }
        try check(flag: bytes[0], length: length)
        return MessageFramer.prefixLength..<bytes.count
    }

    private func check(flag: UInt8, length: Int) throws(RPCError) {
        if flag != 0 {
            throw RPCError(code: flag == 1 ? .unimplemented : .internal,
                           message: flag == 1
                               ? "compressed message received but no grpc-encoding is supported (only identity)"
                               : "invalid message prefix flag \(flag)")
        }
        if length > maximumMessageSize {
            throw RPCError(code: .resourceExhausted,
                           message: "message of \(length) bytes exceeds the limit of \(maximumMessageSize) bytes")
        }
    }

    /// Returns the next complete message, `nil` if more bytes are needed, or throws the
    /// status that must end the call (oversized or compressed message).
    public mutating func next() throws(RPCError) -> [UInt8]? {
        let available = buffer.count - readIndex
        guard available >= MessageFramer.prefixLength else { return nil }
        let flag = buffer[readIndex]
        let length = Int(buffer[readIndex + 1]) << 24 | Int(buffer[readIndex + 2]) << 16
            | Int(buffer[readIndex + 3]) << 8 | Int(buffer[readIndex + 4])
        try check(flag: flag, length: length)
        guard available >= MessageFramer.prefixLength + length else { return nil }
        let start = readIndex + MessageFramer.prefixLength
        let message = Array(buffer[start..<(start + length)])
        readIndex = start + length
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
            readIndex = 0
        } else if readIndex > 65_536 && readIndex * 2 > buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        return message
    }
}
