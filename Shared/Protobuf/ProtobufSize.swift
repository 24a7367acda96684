/// Encoded sizes of field values, used by generated `serializedSize()` code.
public enum ProtobufSize {
    /// Bytes a varint of `value` takes (1...10).
    @inlinable @inline(__always)
    public static func varint(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7), with bits = 64 - leading zeros (at least 1).
        let bits = 64 &- (value | 1).leadingZeroBitCount
        return (bits &* 9 &+ 64) >> 6
    }

    /// Bytes a tag takes.
    @inlinable @inline(__always)
    public static func tag(_ tag: UInt32) -> Int { varint(UInt64(tag)) }

    /// Bytes an `int32` takes (10 when negative).
    @inlinable @inline(__always)
    public static func int32(_ value: Int32) -> Int { varint(UInt64(bitPattern: Int64(value))) }

    /// Bytes an `int64` takes.
    @inlinable @inline(__always)
    public static func int64(_ value: Int64) -> Int { varint(UInt64(bitPattern: value)) }

    /// Bytes a `uint32` takes.
    @inlinable @inline(__always)
    public static func uint32(_ value: UInt32) -> Int { varint(UInt64(value)) }

    /// Bytes a `uint64` takes.
    @inlinable @inline(__always)
    public static func uint64(_ value: UInt64) -> Int { varint(value) }

    /// Bytes a `sint32` takes.
    @inlinable @inline(__always)
    public static func sint32(_ value: Int32) -> Int { varint(UInt64(zigZag(value))) }

    /// Bytes a `sint64` takes.
    @inlinable @inline(__always)
    public static func sint64(_ value: Int64) -> Int { varint(zigZag(value)) }

    /// Bytes an enum value takes.
    @inlinable @inline(__always)
    public static func enumValue<Value: ProtobufEnum>(_ value: Value) -> Int { int32(value.rawValue) }

    /// Bytes a `string` takes, length prefix included.
    @inlinable @inline(__always)
    public static func string(_ value: String) -> Int {
        let length = value.utf8.count
        return varint(UInt64(length)) &+ length
    }

    /// Bytes a `bytes` field takes, length prefix included.
    @inlinable @inline(__always)
    public static func bytes(_ value: [UInt8]) -> Int { varint(UInt64(value.count)) &+ value.count }

    /// Bytes a nested message takes, length prefix included.
    @inlinable @inline(__always)
    public static func message<Message: ProtobufMessage>(_ message: Message) -> Int {
        let size = message.serializedSize()
        return varint(UInt64(size)) &+ size
    }

    /// Bytes a length-delimited payload of `length` takes, prefix included.
    @inlinable @inline(__always)
    public static func lengthDelimited(_ length: Int) -> Int { varint(UInt64(length)) &+ length }

    /// The zigzag form of a `sint32`.
    @inlinable @inline(__always)
    public static func zigZag(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }

    /// The zigzag form of a `sint64`.
    @inlinable @inline(__always)
    public static func zigZag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    /// Payload bytes of packed `int32` values.
    @inlinable
    public static func packedInt32(_ values: [Int32]) -> Int { values.reduce(0) { $0 &+ int32($1) } }

    /// Payload bytes of packed `int64` values.
    @inlinable
    public static func packedInt64(_ values: [Int64]) -> Int { values.reduce(0) { $0 &+ int64($1) } }

    /// Payload bytes of packed `uint32` values.
    @inlinable
    public static func packedUInt32(_ values: [UInt32]) -> Int { values.reduce(0) { $0 &+ uint32($1) } }

    /// Payload bytes of packed `uint64` values.
    @inlinable
    public static func packedUInt64(_ values: [UInt64]) -> Int { values.reduce(0) { $0 &+ varint($1) } }

    /// Payload bytes of packed `sint32` values.
    @inlinable
    public static func packedSInt32(_ values: [Int32]) -> Int { values.reduce(0) { $0 &+ sint32($1) } }

    /// Payload bytes of packed `sint64` values.
    @inlinable
    public static func packedSInt64(_ values: [Int64]) -> Int { values.reduce(0) { $0 &+ sint64($1) } }

    /// Payload bytes of packed enum values.
    @inlinable
    public static func packedEnum<Value: ProtobufEnum>(_ values: [Value]) -> Int {
        values.reduce(0) { $0 &+ int32($1.rawValue) }
    }
}
