/// Whole-message decoding and encoding entry points.
extension ProtobufMessage {
    /// Decodes a message from `buffer`.
    @inlinable
    public init(decoding buffer: UnsafeRawBufferPointer) throws(ProtobufDecodingError) {
        self.init()
        var reader = ProtobufReader(buffer: buffer)
        try decodeMessage(from: &reader)
    }

    /// Decodes a message from `bytes`.
    @inlinable
    public init(serializedBytes bytes: [UInt8]) throws(ProtobufDecodingError) {
        var result = Self()
        let failure: ProtobufDecodingError? = bytes.withUnsafeBytes { buffer in
            var reader = ProtobufReader(buffer: buffer)
            do throws(ProtobufDecodingError) { try result.decodeMessage(from: &reader) } catch { return error }
            return nil
        }
        if let failure { throw failure }
        self = result
    }

    /// Merges the fields encoded in `buffer` into this message.
    @inlinable
    public mutating func merge(decoding buffer: UnsafeRawBufferPointer) throws(ProtobufDecodingError) {
        var reader = ProtobufReader(buffer: buffer)
        try decodeMessage(from: &reader)
    }

    /// The message's wire encoding.
    @inlinable
    public func serializedBytes() -> [UInt8] {
        let size = serializedSize()
        var spilled: [UInt8]?
        let result = [UInt8](unsafeUninitializedCapacity: size + ProtobufWriter.slack) { buffer, initialized in
            var writer = ProtobufWriter(borrowing: UnsafeMutableRawBufferPointer(buffer))
            encodeMessage(to: &writer)
            if writer.isBorrowing {
                initialized = writer.byteCount
            } else {
                spilled = writer.bytes
                initialized = 0
            }
        }
        return spilled ?? result
    }

    /// Appends the message's wire encoding to `bytes`.
    @inlinable
    public func serialize(appendingTo bytes: inout [UInt8]) {
        let size = serializedSize()
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size + ProtobufWriter.slack))
        var written = 0
        var spilled: [UInt8]?
        bytes.withUnsafeMutableBytes { buffer in
            var writer = ProtobufWriter(borrowing: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
            encodeMessage(to: &writer)
            if writer.isBorrowing { written = writer.byteCount } else { spilled = writer.bytes }
        }
        if let spilled {
            bytes.removeSubrange(start...)
            bytes.append(contentsOf: spilled)
        } else {
            bytes.removeLast(bytes.count - start - written)
        }
    }
}
