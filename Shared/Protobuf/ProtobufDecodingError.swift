/// Why a protobuf decode failed: each case names the problem and, where it is
/// known, the field number it was found in.
public enum ProtobufDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended inside a field (or inside a tag, when `fieldNumber` is 0).
    case truncated(fieldNumber: Int)
    /// A varint ran longer than 10 bytes.
    case overlongVarint(fieldNumber: Int)
    /// A length-delimited field claimed more bytes than remain in its message.
    case lengthPastEnd(fieldNumber: Int, length: UInt64, remaining: Int)
    /// A known field arrived with a wire type its declared type cannot have.
    case wrongWireType(fieldNumber: Int, wireType: Int)
    /// A field used the deprecated group wire types (3 or 4), which proto3 has no use for.
    case groupWireType(fieldNumber: Int)
    /// A field used wire type 6 or 7, which do not exist.
    case invalidWireType(fieldNumber: Int, wireType: Int)
    /// A tag carried field number 0 or a value wider than 32 bits.
    case invalidTag(UInt64)
    /// A string field held bytes that are not valid UTF-8.
    case invalidUTF8(fieldNumber: Int)
    /// Messages were nested deeper than the limit.
    case nestingTooDeep(limit: Int)
    /// A packed fixed-width field's length is not a multiple of the element size.
    case invalidPackedLength(fieldNumber: Int, length: Int, elementSize: Int)

    /// A sentence naming the problem, e.g. `wrong wire type 0 for field 1`.
    public var description: String {
        switch self {
        case .truncated(let field):
            field == 0 ? "truncated input: it ends inside a field tag" : "truncated input: it ends inside field \(field)"
        case .overlongVarint(let field):
            "overlong varint (more than 10 bytes) in field \(field)"
        case .lengthPastEnd(let field, let length, let remaining):
            "length past end: field \(field) claims \(length) bytes but only \(remaining) remain"
        case .wrongWireType(let field, let wireType):
            "wrong wire type \(wireType) (\(Self.wireTypeName(wireType))) for field \(field)"
        case .groupWireType(let field):
            "group wire types are not supported (field \(field))"
        case .invalidWireType(let field, let wireType):
            "invalid wire type \(wireType) in field \(field)"
        case .invalidTag(let tag):
            tag >> 3 == 0 ? "invalid field number 0 (tag \(tag))" : "invalid tag \(tag): wider than 32 bits"
        case .invalidUTF8(let field):
            "bad UTF-8 in string field \(field)"
        case .nestingTooDeep(let limit):
            "messages nested deeper than \(limit) levels"
        case .invalidPackedLength(let field, let length, let size):
            "packed field \(field) has length \(length), not a multiple of \(size)"
        }
    }

    private static func wireTypeName(_ wireType: Int) -> String {
        switch wireType {
        case 0: "varint"
        case 1: "fixed64"
        case 2: "length-delimited"
        case 5: "fixed32"
        default: "unknown"
        }
    }
}
