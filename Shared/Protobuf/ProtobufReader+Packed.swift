/// Reads of packed repeated scalar fields (wire type 2). The unpacked form of the same
/// fields is read element by element with the singular reads.
extension ProtobufReader {
    @inlinable @inline(__always)
    mutating func readPackedVarints(_ body: (UInt64) -> Void) throws(ProtobufDecodingError) {
        let outerEnd = end
        let length = try readLength()
        end = position + length
        while position < end { body(try readVarint()) }
        end = outerEnd
    }

    @inlinable @inline(__always)
    mutating func packedFixedCount(elementSize: Int) throws(ProtobufDecodingError) -> Int {
        let length = try readLength()
        guard length % elementSize == 0 else {
            throw .invalidPackedLength(fieldNumber: fieldNumber, length: length, elementSize: elementSize)
        }
        return length / elementSize
    }

    /// Appends a packed run of `int32` values.
    @inlinable
    public mutating func readPackedInt32(into values: inout [Int32]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append(Int32(truncatingIfNeeded: $0)) }
    }

    /// Appends a packed run of `int64` values.
    @inlinable
    public mutating func readPackedInt64(into values: inout [Int64]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append(Int64(bitPattern: $0)) }
    }

    /// Appends a packed run of `uint32` values.
    @inlinable
    public mutating func readPackedUInt32(into values: inout [UInt32]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append(UInt32(truncatingIfNeeded: $0)) }
    }

    /// Appends a packed run of `uint64` values.
    @inlinable
    public mutating func readPackedUInt64(into values: inout [UInt64]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append($0) }
    }

    /// Appends a packed run of `sint32` values.
    @inlinable
    public mutating func readPackedSInt32(into values: inout [Int32]) throws(ProtobufDecodingError) {
        try readPackedVarints {
            let value = UInt32(truncatingIfNeeded: $0)
            values.append(Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1))))
        }
    }

    /// Appends a packed run of `sint64` values.
    @inlinable
    public mutating func readPackedSInt64(into values: inout [Int64]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append(Int64(bitPattern: ($0 >> 1) ^ (0 &- ($0 & 1)))) }
    }

    /// Appends a packed run of `bool` values.
    @inlinable
    public mutating func readPackedBool(into values: inout [Bool]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append($0 != 0) }
    }

    /// Appends a packed run of enum values.
    @inlinable
    public mutating func readPackedEnum<Value: ProtobufEnum>(into values: inout [Value]) throws(ProtobufDecodingError) {
        try readPackedVarints { values.append(Value(rawValue: Int32(truncatingIfNeeded: $0))) }
    }

    @inlinable @inline(__always)
    mutating func readPackedFixed32(_ body: (UInt32) -> Void) throws(ProtobufDecodingError) {
        let count = try packedFixedCount(elementSize: 4)
        for _ in 0..<count {
            body(UInt32(littleEndian: position.loadUnaligned(as: UInt32.self)))
            position += 4
        }
    }

    @inlinable @inline(__always)
    mutating func readPackedFixed64(_ body: (UInt64) -> Void) throws(ProtobufDecodingError) {
        let count = try packedFixedCount(elementSize: 8)
        for _ in 0..<count {
            body(UInt64(littleEndian: position.loadUnaligned(as: UInt64.self)))
            position += 8
        }
    }

    /// Appends a packed run of `fixed32` values.
    @inlinable
    public mutating func readPackedFixed32(into values: inout [UInt32]) throws(ProtobufDecodingError) {
        try readPackedFixed32 { values.append($0) }
    }

    /// Appends a packed run of `fixed64` values.
    @inlinable
    public mutating func readPackedFixed64(into values: inout [UInt64]) throws(ProtobufDecodingError) {
        try readPackedFixed64 { values.append($0) }
    }

    /// Appends a packed run of `sfixed32` values.
    @inlinable
    public mutating func readPackedSFixed32(into values: inout [Int32]) throws(ProtobufDecodingError) {
        try readPackedFixed32 { values.append(Int32(bitPattern: $0)) }
    }

    /// Appends a packed run of `sfixed64` values.
    @inlinable
    public mutating func readPackedSFixed64(into values: inout [Int64]) throws(ProtobufDecodingError) {
        try readPackedFixed64 { values.append(Int64(bitPattern: $0)) }
    }

    /// Appends a packed run of `float` values.
    @inlinable
    public mutating func readPackedFloat(into values: inout [Float]) throws(ProtobufDecodingError) {
        try readPackedFixed32 { values.append(Float(bitPattern: $0)) }
    }

    /// Appends a packed run of `double` values.
    @inlinable
    public mutating func readPackedDouble(into values: inout [Double]) throws(ProtobufDecodingError) {
        try readPackedFixed64 { values.append(Double(bitPattern: $0)) }
    }
}
