import FanHeatProtobuf

/// The subset of `google.protobuf.FieldDescriptorProto` the generator reads.
struct FieldDescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.FieldDescriptorProto"

    /// `FieldDescriptorProto.Type` values.
    enum FieldType: Int32 {
        case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes, uint32,
             `enum`, sfixed32, sfixed64, sint32, sint64
    }

    /// The field name in snake_case.
    var name = ""
    /// The field number.
    var number: Int32 = 0
    /// 1 optional, 2 required, 3 repeated.
    var label: Int32 = 1
    /// The raw `FieldDescriptorProto.Type`.
    var type: Int32 = 0
    /// For messages and enums: the fully qualified type name with a leading dot.
    var typeName = ""
    /// The index of the containing oneof, if any.
    var oneofIndex: Int32?
    /// Whether this is a proto3 `optional` field (its oneof is synthetic).
    var isProto3Optional = false
    /// `[packed = ...]` when given explicitly.
    var packedOption: Bool?

    init() {}

    /// Whether the field is `repeated` (maps included).
    var isRepeated: Bool { label == 3 }

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 24: number = try reader.readInt32()
            case 32: label = try reader.readInt32()
            case 40: type = try reader.readInt32()
            case 50: typeName = try reader.readString()
            case 66:
                let options: FieldOptions = try reader.readMessage()
                packedOption = options.packed
            case 72: oneofIndex = try reader.readInt32()
            case 136: isProto3Optional = try reader.readBool()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}

/// `google.protobuf.FieldOptions`, only `packed`.
struct FieldOptions: ProtobufMessage {
    static let protoMessageName = "google.protobuf.FieldOptions"
    /// `[packed = ...]`, if present.
    var packed: Bool?

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 16: packed = try reader.readBool()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}
