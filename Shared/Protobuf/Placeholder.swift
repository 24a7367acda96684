// PLACEHOLDER written by the coordinator so that dependent modules compile
// while the codec is being written. The codec owner replaces this whole file
// with real ProtobufReader / ProtobufWriter / ProtobufDecodingError types and
// keeps the public serialization API below (same names and signatures).

/// Reads protobuf wire format (placeholder).
public struct ProtobufReader {
    /// The bytes being read.
    public let buffer: UnsafeRawBufferPointer
    /// Creates a reader over `buffer`.
    public init(buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
}

/// Writes protobuf wire format (placeholder).
public struct ProtobufWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] = []
    /// Creates an empty writer.
    public init() {}
}

/// Why decoding failed (placeholder).
public enum ProtobufDecodingError: Error, Sendable, Equatable {
    /// The input ended inside a field.
    case truncated
}

extension ProtobufMessage {
    /// Decodes a message from `buffer`.
    public init(decoding buffer: UnsafeRawBufferPointer) throws(ProtobufDecodingError) {
        self.init()
        var reader = ProtobufReader(buffer: buffer)
        try decodeMessage(from: &reader)
    }

    /// Decodes a message from `bytes`.
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

    /// The message's wire encoding.
    public func serializedBytes() -> [UInt8] {
        var writer = ProtobufWriter()
        encodeMessage(to: &writer)
        return writer.bytes
    }
}
