/// Writes of packed repeated scalar fields: the length, then the values (the caller
/// writes the tag and skips empty arrays).
extension ProtobufWriter {
    /// Writes packed `int32` values.
    @inlinable
    public mutating func writePackedInt32(_ values: [Int32]) {
        writeVarint(UInt64(ProtobufSize.packedInt32(values)))
        for value in values { writeInt32(value) }
    }

    /// Writes packed `int64` values.
    @inlinable
    public mutating func writePackedInt64(_ values: [Int64]) {
        writeVarint(UInt64(ProtobufSize.packedInt64(values)))
        for value in values { writeInt64(value) }
    }

    /// Writes packed `uint32` values.
    @inlinable
    public mutating func writePackedUInt32(_ values: [UInt32]) {
        writeVarint(UInt64(ProtobufSize.packedUInt32(values)))
        for value in values { writeUInt32(value) }
    }

    /// Writes packed `uint64` values.
    @inlinable
    public mutating func writePackedUInt64(_ values: [UInt64]) {
        writeVarint(UInt64(ProtobufSize.packedUInt64(values)))
        for value in values { writeUInt64(value) }
    }

    /// Writes packed `sint32` values.
    @inlinable
    public mutating func writePackedSInt32(_ values: [Int32]) {
        writeVarint(UInt64(ProtobufSize.packedSInt32(values)))
        for value in values { writeSInt32(value) }
    }

    /// Writes packed `sint64` values.
    @inlinable
    public mutating func writePackedSInt64(_ values: [Int64]) {
        writeVarint(UInt64(ProtobufSize.packedSInt64(values)))
        for value in values { writeSInt64(value) }
    }

    /// Writes packed `bool` values.
    @inlinable
    public mutating func writePackedBool(_ values: [Bool]) {
        writeVarint(UInt64(values.count))
        for value in values { writeBool(value) }
    }

    /// Writes packed enum values.
    @inlinable
    public mutating func writePackedEnum<Value: ProtobufEnum>(_ values: [Value]) {
        writeVarint(UInt64(ProtobufSize.packedEnum(values)))
        for value in values { writeInt32(value.rawValue) }
    }

    /// Writes packed `fixed32` values.
    @inlinable
    public mutating func writePackedFixed32(_ values: [UInt32]) {
        writeVarint(UInt64(values.count * 4))
        for value in values { writeFixed32(value) }
    }

    /// Writes packed `fixed64` values.
    @inlinable
    public mutating func writePackedFixed64(_ values: [UInt64]) {
        writeVarint(UInt64(values.count * 8))
        for value in values { writeFixed64(value) }
    }

    /// Writes packed `sfixed32` values.
    @inlinable
    public mutating func writePackedSFixed32(_ values: [Int32]) {
        writeVarint(UInt64(values.count * 4))
        for value in values { writeSFixed32(value) }
    }

    /// Writes packed `sfixed64` values.
    @inlinable
    public mutating func writePackedSFixed64(_ values: [Int64]) {
        writeVarint(UInt64(values.count * 8))
        for value in values { writeSFixed64(value) }
    }

    /// Writes packed `float` values.
    @inlinable
    public mutating func writePackedFloat(_ values: [Float]) {
        writeVarint(UInt64(values.count * 4))
        for value in values { writeFloat(value) }
    }

    /// Writes packed `double` values.
    @inlinable
    public mutating func writePackedDouble(_ values: [Double]) {
        writeVarint(UInt64(values.count * 8))
        for value in values { writeDouble(value) }
    }
}
