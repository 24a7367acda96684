/// Reads protobuf binary wire format from a borrowed buffer.
///
/// Generated `decodeMessage(from:)` code drives it: `readTag()` then one typed read per
/// field. Every read is bounds-checked against the end of the current (possibly nested)
/// message and throws a ``ProtobufDecodingError`` instead of trapping; nothing is
/// allocated beyond what the bytes present justify. The reader must not outlive the
/// buffer it was created over.
public struct ProtobufReader {
    /// How deep messages may nest before decoding fails.
    public static let maximumDepth = 100

    /// The next byte to read.
    @usableFromInline var position: UnsafeRawPointer
    /// One past the last byte of the message being read.
    @usableFromInline var end: UnsafeRawPointer
    /// How many length-delimited messages enclose the current position.
    @usableFromInline var depth: Int
    /// The most recent tag read (for error messages).
    @usableFromInline var lastTag: UInt32

    /// Creates a reader over `buffer`.
    public init(buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have no address; any non-null pointer works, as no byte is read.
        let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!
        position = base
        end = base + buffer.count
        depth = 0
        lastTag = 0
    }

    /// Whether bytes remain in the message being read.
    @inlinable
    public var hasRemaining: Bool { position < end }

    /// The number of bytes left in the message being read.
    @inlinable
    public var remainingCount: Int { end - position }

    /// The field number of the most recent tag.
    @inlinable
    public var fieldNumber: Int { Int(lastTag >> 3) }

    /// The wire type of the most recent tag.
    @inlinable
    public var wireType: UInt32 { lastTag & 7 }

    // MARK: Tags and varints

    /// Reads the next field tag (field number << 3 | wire type); call only while
    /// ``hasRemaining``.
    @inlinable @inline(__always)
    public mutating func readTag() throws(ProtobufDecodingError) -> UInt32 {
        let byte = position.load(as: UInt8.self)
        if byte < 0x80 && byte >= 8 {
            position += 1
            lastTag = UInt32(byte)
            return lastTag
        }
        return try readTagSlow()
    }

    @usableFromInline
    mutating func readTagSlow() throws(ProtobufDecodingError) -> UInt32 {
        lastTag = 0
        let value = try readVarint()
        guard value <= UInt64(UInt32.max), value >> 3 != 0 else { throw .invalidTag(value) }
        lastTag = UInt32(value)
        return lastTag
    }

    /// Reads a base-128 varint of up to 10 bytes.
    @inlinable @inline(__always)
    public mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        if end - position >= 2 {
            let first = position.load(as: UInt8.self)
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
            let second = position.load(fromByteOffset: 1, as: UInt8.self)
            if second < 0x80 {
                position += 2
                return UInt64(first & 0x7F) | UInt64(second) << 7
            }
        }
        return try readVarintSlow()
    }

    @usableFromInline
    mutating func readVarintSlow() throws(ProtobufDecodingError) -> UInt64 {
        if end - position >= 10 {
            // All ten bytes a varint may take are there: no bounds check per byte.
            var result: UInt64 = 0
            var pointer = position
            var shift: UInt64 = 0
            while shift < 70 {
                let byte = pointer.load(as: UInt8.self)
                pointer += 1
                result |= UInt64(byte & 0x7F) &<< shift
                if byte < 0x80 {
                    position = pointer
                    return result
                }
                shift &+= 7
            }
            throw .overlongVarint(fieldNumber: fieldNumber)
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var pointer = position
        while true {
            guard pointer < end else { throw .truncated(fieldNumber: fieldNumber) }
            let byte = pointer.load(as: UInt8.self)
            pointer += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                position = pointer
                return result
            }
            shift += 7
            if shift >= 70 { throw .overlongVarint(fieldNumber: fieldNumber) }
        }
    }

    /// Reads four little-endian bytes.
    @inlinable @inline(__always)
    public mutating func readFixed32() throws(ProtobufDecodingError) -> UInt32 {
        guard end - position >= 4 else { throw .truncated(fieldNumber: fieldNumber) }
        let value = position.loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// Reads eight little-endian bytes.
    @inlinable @inline(__always)
    public mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        guard end - position >= 8 else { throw .truncated(fieldNumber: fieldNumber) }
        let value = position.loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and checks that many bytes remain.
    @inlinable @inline(__always)
    public mutating func readLength() throws(ProtobufDecodingError) -> Int {
        let length = try readVarint()
        let remaining = end - position
        guard length <= UInt64(remaining) else {
            throw .lengthPastEnd(fieldNumber: fieldNumber, length: length, remaining: remaining)
        }
        return Int(length)
    }

    /// Reads a length-delimited field's bytes without copying; valid while the buffer is.
    @inlinable @inline(__always)
    public mutating func readLengthDelimitedBytes() throws(ProtobufDecodingError) -> UnsafeRawBufferPointer {
        let length = try readLength()
        let bytes = UnsafeRawBufferPointer(start: position, count: length)
        position += length
        return bytes
    }

    // MARK: Nesting

    /// Reads a length prefix and narrows the reader to that many bytes; returns the
    /// outer end to hand back to ``leaveLengthDelimited(_:)``.
    @inlinable @inline(__always)
    public mutating func enterLengthDelimited() throws(ProtobufDecodingError) -> UnsafeRawPointer {
        let length = try readLength()
        guard depth < ProtobufReader.maximumDepth else { throw .nestingTooDeep(limit: ProtobufReader.maximumDepth) }
        depth += 1
        let outerEnd = end
        end = position + length
        return outerEnd
    }

    /// Restores the outer message after a nested one was read to its end.
    @inlinable @inline(__always)
    public mutating func leaveLengthDelimited(_ outerEnd: UnsafeRawPointer) {
        position = end
        end = outerEnd
        depth -= 1
    }

    /// Reads a length-delimited nested message, merging its fields into `message`.
    @inlinable
    public mutating func readMessage<Message: ProtobufMessage>(into message: inout Message) throws(ProtobufDecodingError) {
        let outerEnd = try enterLengthDelimited()
        try message.decodeMessage(from: &self)
        leaveLengthDelimited(outerEnd)
    }

    /// Reads a length-delimited nested message.
    @inlinable
    public mutating func readMessage<Message: ProtobufMessage>(_ type: Message.Type = Message.self) throws(ProtobufDecodingError) -> Message {
        var message = Message()
        try readMessage(into: &message)
        return message
    }
}
