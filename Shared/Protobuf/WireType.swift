/// The six wire types a protobuf tag can carry (3 and 4 are the unsupported group markers).
public enum WireType: UInt32, Sendable {
    /// Base-128 varint: int32/64, uint32/64, sint32/64, bool, enum.
    case varint = 0
    /// Eight little-endian bytes: fixed64, sfixed64, double.
    case fixed64 = 1
    /// A varint length then that many bytes: string, bytes, messages, packed repeated.
    case lengthDelimited = 2
    /// Start of a group (proto2, unsupported).
    case startGroup = 3
    /// End of a group (proto2, unsupported).
    case endGroup = 4
    /// Four little-endian bytes: fixed32, sfixed32, float.
    case fixed32 = 5

    /// The tag value for `fieldNumber` with this wire type.
    @inlinable
    public func tag(fieldNumber: Int) -> UInt32 { UInt32(fieldNumber) << 3 | rawValue }
}
