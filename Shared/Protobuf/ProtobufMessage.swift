/// A message that speaks the protobuf binary wire format.
///
/// Generated types conform to this protocol; the RPC runtime only relies on
/// `init(serializedBytes:)`, `init(decoding:)` and `serializedBytes()`.
public protocol ProtobufMessage: Sendable, Equatable {
    /// The fully qualified protobuf name, e.g. `fanheat.ingest.v1.IngestRequest`.
    static var protoMessageName: String { get }

    /// Creates a message with every field at its default value.
    init()

    /// Merges the fields read from `reader` into this message (protobuf merge semantics).
    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError)

    /// Appends the wire encoding of this message to `writer`.
    func encodeMessage(to writer: inout ProtobufWriter)

    /// The number of bytes `encodeMessage(to:)` writes.
    func serializedSize() -> Int
}

extension ProtobufMessage {
    /// Measures the encoding by writing it (generated types provide a direct computation).
    public func serializedSize() -> Int {
        var writer = ProtobufWriter()
        encodeMessage(to: &writer)
        return writer.byteCount
    }
}
