/// Reads protobuf wire format in place over borrowed bytes: tags, varints, fixed
/// values and length-delimited slices, without building messages or strings.
public struct WireScanner {
    /// The bytes being scanned.
    public let bytes: UnsafeRawBufferPointer
    /// The position of the next unread byte.
    public private(set) var position = 0

    /// The protobuf wire types.
    public enum WireType: UInt8 {
        /// A varint.
        case varint = 0
        /// Eight little-endian bytes.
        case fixed64 = 1
        /// A length-prefixed byte string.
        case lengthDelimited = 2
        /// A deprecated group start.
        case startGroup = 3
        /// A deprecated group end.
        case endGroup = 4
        /// Four little-endian bytes.
        case fixed32 = 5
    }

    /// Why bytes are not valid wire format.
    public struct Malformed: Error, Sendable {
        /// What is wrong, e.g. "truncated varint at byte 12".
        public let reason: String
    }

    /// Scans `bytes` from the start.
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte was consumed.
    public var isAtEnd: Bool { position >= bytes.count }

    /// Reads a varint (at most 10 bytes); one-byte varints (most tags and lengths) take
    /// the inlined fast path.
    @inline(__always)
    public mutating func readVarint() throws(Malformed) -> UInt64 {
        if position < bytes.count {
            let byte = bytes[position]
            if byte < 0x80 {
                position &+= 1
                return UInt64(byte)
            }
        }
        return try readLongVarint()
    }

    private mutating func readLongVarint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            position &+= 1
            if shift == 63 && byte > 1 { throw Malformed(reason: "varint overflows 64 bits at byte \(start)") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw Malformed(reason: "varint longer than 10 bytes at byte \(start)") }
        }
        throw Malformed(reason: "truncated varint at byte \(start)")
    }

    /// Reads a field tag: (field number, wire type).
    @inline(__always)
    public mutating func readTag() throws(Malformed) -> (field: UInt32, type: WireType) {
        let start = position
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911, let type = WireType(rawValue: UInt8(key & 7)) else {
            throw Malformed(reason: "invalid field tag \(key) at byte \(start)")
        }
        return (UInt32(number), type)
    }

    /// Reads a length-delimited field's contents as a range of `bytes`.
    @inline(__always)
    public mutating func readLengthDelimited() throws(Malformed) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(bytes.count - position) else {
            throw Malformed(reason: "length \(length) at byte \(start) runs past the end of the message")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Skips a field of `type` (groups are rejected: proto3 has none).
    public mutating func skip(_ type: WireType) throws(Malformed) {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64: try advance(8)
        case .fixed32: try advance(4)
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup, .endGroup: throw Malformed(reason: "group fields are not supported (byte \(position))")
        }
    }

    private mutating func advance(_ count: Int) throws(Malformed) {
        guard bytes.count - position >= count else { throw Malformed(reason: "truncated fixed field at byte \(position)") }
        position += count
    }

    /// The slice of `bytes` for `range`.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }
}
