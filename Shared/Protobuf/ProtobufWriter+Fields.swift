/// Typed writes of field values (the caller writes the tag first).
extension ProtobufWriter {
    /// Writes an `int32` (negative values take 10 bytes).
    @inlinable @inline(__always)
    public mutating func writeInt32(_ value: Int32) { writeVarint(UInt64(bitPattern: Int64(value))) }

    /// Writes an `int64`.
    @inlinable @inline(__always)
    public mutating func writeInt64(_ value: Int64) { writeVarint(UInt64(bitPattern: value)) }

    /// Writes a `uint32`.
    @inlinable @inline(__always)
    public mutating func writeUInt32(_ value: UInt32) { writeVarint(UInt64(value)) }

    /// Writes a `uint64`.
    @inlinable @inline(__always)
    public mutating func writeUInt64(_ value: UInt64) { writeVarint(value) }

    /// Writes a zigzag `sint32`.
    @inlinable @inline(__always)
    public mutating func writeSInt32(_ value: Int32) { writeVarint(UInt64(ProtobufSize.zigZag(value))) }

    /// Writes a zigzag `sint64`.
    @inlinable @inline(__always)
    public mutating func writeSInt64(_ value: Int64) { writeVarint(ProtobufSize.zigZag(value)) }

    /// Writes a `bool`.
    @inlinable @inline(__always)
    public mutating func writeBool(_ value: Bool) { writeByte(value ? 1 : 0) }

    /// Writes an enum value.
    @inlinable @inline(__always)
    public mutating func writeEnum<Value: ProtobufEnum>(_ value: Value) { writeInt32(value.rawValue) }

    /// Writes a `sfixed32`.
    @inlinable @inline(__always)
    public mutating func writeSFixed32(_ value: Int32) { writeFixed32(UInt32(bitPattern: value)) }

    /// Writes a `sfixed64`.
    @inlinable @inline(__always)
    public mutating func writeSFixed64(_ value: Int64) { writeFixed64(UInt64(bitPattern: value)) }

    /// Writes a `float`.
    @inlinable @inline(__always)
    public mutating func writeFloat(_ value: Float) { writeFixed32(value.bitPattern) }

    /// Writes a `double`.
    @inlinable @inline(__always)
    public mutating func writeDouble(_ value: Double) { writeFixed64(value.bitPattern) }

    /// Writes a `string`: its UTF-8 length then its bytes.
    @inlinable
    public mutating func writeString(_ value: String) {
        let length = value.utf8.count
        writeVarint(UInt64(length))
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { writeRawBytes(UnsafeRawBufferPointer($0)) }
        if done == nil {
            reserve(length)
            for byte in value.utf8 {
                base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
                count &+= 1
            }
        }
    }

    /// Writes a `bytes` field: its length then the bytes.
    @inlinable
    public mutating func writeBytes(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        writeRawBytes(value)
    }

    /// Writes a nested message: its size then its fields.
    ///
    /// The size is not computed up front (that would walk the message, and every message
    /// nested in it, once more per level): one byte is set aside for the length, the fields
    /// are written, and a message of 128 bytes or more is moved up to make room for its
    /// longer length prefix.
    @inlinable
    public mutating func writeMessage<Message: ProtobufMessage>(_ message: Message) {
        reserve(1)
        let lengthOffset = count
        count &+= 1
        message.encodeMessage(to: &self)
        let length = count &- lengthOffset &- 1
        if length < 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: length), toByteOffset: lengthOffset, as: UInt8.self)
        } else {
            insertLengthPrefix(length, at: lengthOffset)
        }
    }

    /// Replaces the one byte set aside at `offset` with the varint `length`, moving the
    /// `length` bytes after it up.
    @usableFromInline
    mutating func insertLengthPrefix(_ length: Int, at offset: Int) {
        let extra = ProtobufSize.varint(UInt64(length)) &- 1
        reserve(extra)
        let payload = base + offset + 1
        (payload + extra).copyMemory(from: payload, byteCount: length)  // memmove: the ranges overlap
        count &+= extra
        var pointer = base + offset
        var value = UInt64(length)
        while value >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, as: UInt8.self)
            pointer += 1
            value >>= 7
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
    }
}
