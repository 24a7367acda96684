import FanHeatProtobuf

/// The subset of `google.protobuf.EnumDescriptorProto` the generator reads.
struct EnumDescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.EnumDescriptorProto"
    /// The short name.
    var name = ""
    /// The values, in declaration order.
    var values: [EnumValueDescriptorProto] = []

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 18: values.append(try reader.readMessage())
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}

/// `google.protobuf.EnumValueDescriptorProto`: a name and a number.
struct EnumValueDescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.EnumValueDescriptorProto"
    /// The value's name, e.g. `ACTIVITY_KIND_PURCHASE`.
    var name = ""
    /// The value's number.
    var number: Int32 = 0

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 16: number = try reader.readInt32()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}

/// The subset of `google.protobuf.ServiceDescriptorProto` the generator reads.
struct ServiceDescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.ServiceDescriptorProto"
    /// The short name.
    var name = ""
    /// The methods, in declaration order.
    var methods: [MethodDescriptorProto] = []

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 18: methods.append(try reader.readMessage())
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}

/// `google.protobuf.MethodDescriptorProto`.
struct MethodDescriptorProto: ProtobufMessage {
    static let protoMessageName = "google.protobuf.MethodDescriptorProto"
    /// The method name, e.g. `Ingest`.
    var name = ""
    /// The fully qualified request type with a leading dot.
    var inputType = ""
    /// The fully qualified response type with a leading dot.
    var outputType = ""
    /// Whether requests are streamed.
    var clientStreaming = false
    /// Whether responses are streamed.
    var serverStreaming = false

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10: name = try reader.readString()
            case 18: inputType = try reader.readString()
            case 26: outputType = try reader.readString()
            case 40: clientStreaming = try reader.readBool()
            case 48: serverStreaming = try reader.readBool()
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {}
}
