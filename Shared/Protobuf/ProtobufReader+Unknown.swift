/// Handling of fields a message does not declare, and of declared fields that
/// arrive with the wrong wire type.
extension ProtobufReader {
    /// Reads the value of the field whose tag was just read and keeps the whole field
    /// (tag and value) in `unknownFields`.
    public mutating func readUnknownField(into unknownFields: inout ProtobufUnknownFields) throws(ProtobufDecodingError) {
        let valueStart = position
        try skipFieldValue()
        var tagBytes: (UInt64, UInt64) = (0, 0)
        let tagCount = withUnsafeMutableBytes(of: &tagBytes) { buffer in
            var value = UInt64(lastTag)
            var index = 0
            while value >= 0x80 {
                buffer[index] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                index += 1
            }
            buffer[index] = UInt8(value)
            return index + 1
        }
        withUnsafeBytes(of: &tagBytes) { unknownFields.append(UnsafeRawBufferPointer(rebasing: $0[0..<tagCount])) }
        unknownFields.append(UnsafeRawBufferPointer(start: valueStart, count: position - valueStart))
    }

    /// Skips the value of the field whose tag was just read, checking it is well formed.
    public mutating func skipFieldValue() throws(ProtobufDecodingError) {
        switch lastTag & 7 {
        case 0: _ = try readVarint()
        case 1: _ = try readFixed64()
        case 2: _ = try readLengthDelimitedBytes()
        case 5: _ = try readFixed32()
        case 3, 4: throw .groupWireType(fieldNumber: fieldNumber)
        default: throw .invalidWireType(fieldNumber: fieldNumber, wireType: Int(lastTag & 7))
        }
    }

    /// The error for a declared field whose tag carries a wire type its type cannot have.
    public func wrongWireType() -> ProtobufDecodingError {
        switch lastTag & 7 {
        case 3, 4: .groupWireType(fieldNumber: fieldNumber)
        case 6, 7: .invalidWireType(fieldNumber: fieldNumber, wireType: Int(lastTag & 7))
        default: .wrongWireType(fieldNumber: fieldNumber, wireType: Int(lastTag & 7))
        }
    }

    /// How many fields in the rest of the current message carry the tag just read, this
    /// one included: a capacity hint for the first element of a repeated or map field, so
    /// that the array or dictionary is allocated once instead of growing (a dictionary
    /// rehashes every key when it grows). The scan reads tags and skips values without
    /// decoding them, and stops at the first malformed field (decoding reports that one).
    /// The count is bounded by the bytes present (every field takes at least two bytes).
    public func occurrencesOfCurrentTag() -> Int {
        var scanner = self
        let tag = lastTag
        var count = 0
        do throws(ProtobufDecodingError) {
            try scanner.skipFieldValue()
            count = 1
            while scanner.position < scanner.end {
                if try scanner.readTag() == tag { count += 1 }
                try scanner.skipFieldValue()
            }
        } catch {
            // Malformed: the count so far is still a valid hint.
        }
        return count
    }
}
