import FanHeatProtobuf

/// The subset of `google.protobuf.FileDescriptorProto` the generator reads.
struct FileDescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.FileDescriptorProto"
    /// The path as protoc saw it, e.g. `fanheat/ingest/v1/ingest.proto`.
    var name = ""
    /// The protobuf package.
    var package = ""
    /// Imported paths.
    var dependencies: [String] = []
    /// Top-level messages.
    var messageTypes: [DescriptorProto] = []
    /// Top-level enums.
    var enumTypes: [EnumDescriptorProto] = []
    /// Services.
    var services: [ServiceDescriptorProto] = []
    /// `proto2`, `proto3` or `editions` (empty means proto2).
    var syntax = ""
    /// The exact serialized bytes (set by the file set decoder; not a protobuf field).
    var serialized: [UInt8] = []

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 18: package = try reader.readString()
            case 26: dependencies.append(try reader.readString())
            case 34: messageTypes.append(try reader.readMessage())
            case 42: enumTypes.append(try reader.readMessage())
            case 50: services.append(try reader.readMessage())
            case 98: syntax = try reader.readString()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) { writer.writeRawBytes(serialized) }
}

/// The subset of `google.protobuf.DescriptorProto` (a message type) the generator reads.
struct DescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.DescriptorProto"
    /// The short name.
    var name = ""
    /// The fields, in declaration order.
    var fields: [FieldDescriptorProto] = []
    /// Nested messages (map entries included).
    var nestedTypes: [DescriptorProto] = []
    /// Nested enums.
    var enumTypes: [EnumDescriptorProto] = []
    /// Oneofs (synthetic ones for proto3 `optional` included).
    var oneofNames: [String] = []
    /// Whether this is a synthesized map entry type.
    var isMapEntry = false

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 18: fields.append(try reader.readMessage())
            case 26: nestedTypes.append(try reader.readMessage())
            case 34: enumTypes.append(try reader.readMessage())
            case 58:
                let options: MessageOptions = try reader.readMessage()
                isMapEntry = options.mapEntry
            case 66:
                let oneof: NamedDescriptor = try reader.readMessage()
                oneofNames.append(oneof.name)
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}

/// `google.protobuf.MessageOptions`, only `map_entry`.
struct MessageOptions: ProtobufMessage {
    static let protoMessageName = "google.protobuf.MessageOptions"
    /// Whether the message is a synthesized map entry.
    var mapEntry = false

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 56: mapEntry = try reader.readBool()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}

/// Any descriptor of which only field 1, `name`, is needed (oneofs).
struct NamedDescriptor: ProtobufMessage {
    static let protoMessageName = "google.protobuf.OneofDescriptorProto"
    /// The name.
    var name = ""

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}
