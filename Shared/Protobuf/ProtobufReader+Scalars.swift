/// Typed reads of singular scalar fields (the tag has already been read).
extension ProtobufReader {
    /// Reads an `int32` (a varint, truncated to 32 bits).
    @inlinable @inline(__always)
    public mutating func readInt32() throws(ProtobufDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    /// Reads an `int64`.
    @inlinable @inline(__always)
    public mutating func readInt64() throws(ProtobufDecodingError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    /// Reads a `uint32`.
    @inlinable @inline(__always)
    public mutating func readUInt32() throws(ProtobufDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readVarint())
    }

    /// Reads a `uint64`.
    @inlinable @inline(__always)
    public mutating func readUInt64() throws(ProtobufDecodingError) -> UInt64 {
        try readVarint()
    }

    /// Reads a zigzag-encoded `sint32`.
    @inlinable @inline(__always)
    public mutating func readSInt32() throws(ProtobufDecodingError) -> Int32 {
        let value = UInt32(truncatingIfNeeded: try readVarint())
        return Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// Reads a zigzag-encoded `sint64`.
    @inlinable @inline(__always)
    public mutating func readSInt64() throws(ProtobufDecodingError) -> Int64 {
        let value = try readVarint()
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    /// Reads a `bool` (any non-zero varint is true).
    @inlinable @inline(__always)
    public mutating func readBool() throws(ProtobufDecodingError) -> Bool {
        try readVarint() != 0
    }

    /// Reads an open enum value.
    @inlinable @inline(__always)
    public mutating func readEnum<Value: ProtobufEnum>(_ type: Value.Type = Value.self) throws(ProtobufDecodingError) -> Value {
        Value(rawValue: Int32(truncatingIfNeeded: try readVarint()))
    }

    /// Reads a `sfixed32`.
    @inlinable @inline(__always)
    public mutating func readSFixed32() throws(ProtobufDecodingError) -> Int32 {
        Int32(bitPattern: try readFixed32())
    }

    /// Reads a `sfixed64`.
    @inlinable @inline(__always)
    public mutating func readSFixed64() throws(ProtobufDecodingError) -> Int64 {
        Int64(bitPattern: try readFixed64())
    }

    /// Reads a `float`.
    @inlinable @inline(__always)
    public mutating func readFloat() throws(ProtobufDecodingError) -> Float {
        Float(bitPattern: try readFixed32())
    }

    /// Reads a `double`.
    @inlinable @inline(__always)
    public mutating func readDouble() throws(ProtobufDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// Reads a `string`; invalid UTF-8 is an error.
    @inlinable
    public mutating func readString() throws(ProtobufDecodingError) -> String {
        let bytes = try readLengthDelimitedBytes()
        if bytes.isEmpty { return "" }
        guard let string = ProtobufUTF8.string(validating: bytes) else {
            throw .invalidUTF8(fieldNumber: fieldNumber)
        }
        return string
    }

    /// Reads a `bytes` field.
    @inlinable
    public mutating func readBytes() throws(ProtobufDecodingError) -> [UInt8] {
        let bytes = try readLengthDelimitedBytes()
        if bytes.isEmpty { return [] }
        return [UInt8](bytes)
    }
}
