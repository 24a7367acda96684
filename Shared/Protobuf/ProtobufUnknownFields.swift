/// Fields a message did not recognise, kept as their raw wire bytes (tag and value)
/// so that re-encoding the message emits them again unchanged.
public struct ProtobufUnknownFields: Sendable, Hashable {
    /// The raw bytes of every unknown field, in the order they were read.
    public var bytes: [UInt8]

    /// Creates an empty set.
    @inlinable
    public init() { bytes = [] }

    /// Creates a set from raw, already-encoded field bytes.
    public init(rawBytes: [UInt8]) { bytes = rawBytes }

    /// Whether no unknown field was kept.
    @inlinable
    public var isEmpty: Bool { bytes.isEmpty }

    /// Appends raw field bytes.
    @inlinable
    mutating func append(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }
}
