/// What a field's values are, and the code snippets to read, write and size them.
enum ValueKind {
    /// A scalar: its protobuf type.
    case scalar(FieldDescriptorProto.FieldType)
    /// An open enum: its Swift type name.
    case enumeration(String)
    /// A message: its Swift type name.
    case message(String)

    /// Resolves a field's value kind.
    init(field: FieldDescriptorProto, types: TypeTable) throws(GeneratorError) {
        guard let type = FieldDescriptorProto.FieldType(rawValue: field.type) else {
            throw GeneratorError("field \(field.name): unknown type \(field.type)")
        }
        switch type {
        case .group: throw GeneratorError("field \(field.name): groups are not supported")
        case .message: self = .message(try types.swiftName(field.typeName))
        case .enum: self = .enumeration(try types.swiftName(field.typeName))
        default: self = .scalar(type)
        }
    }

    /// The Swift type.
    var swiftType: String {
        switch self {
        case .enumeration(let name), .message(let name): name
        case .scalar(let type):
            switch type {
            case .double: "Double"
            case .float: "Float"
            case .int64, .sfixed64, .sint64: "Int64"
            case .uint64, .fixed64: "UInt64"
            case .int32, .sfixed32, .sint32: "Int32"
            case .uint32, .fixed32: "UInt32"
            case .bool: "Bool"
            case .string: "String"
            case .bytes: "[UInt8]"
            case .group, .message, .enum: "Never"
            }
        }
    }

    /// The proto3 default value as a Swift expression.
    var defaultValue: String {
        switch self {
        case .enumeration(let name), .message(let name): "\(name)()"
        case .scalar(let type):
            switch type {
            case .bool: "false"
            case .string: "\"\""
            case .bytes: "[]"
            default: "0"
            }
        }
    }

    /// The wire type of one value.
    var wireType: UInt32 {
        switch self {
        case .enumeration: 0
        case .message: 2
        case .scalar(let type):
            switch type {
            case .double, .fixed64, .sfixed64: 1
            case .float, .fixed32, .sfixed32: 5
            case .string, .bytes, .message, .group: 2
            default: 0
            }
        }
    }

    /// Whether repeated values of this kind are packed by default in proto3.
    var isPackable: Bool { wireType != 2 }

    /// The reader/writer method suffix, e.g. `SInt32` for `readSInt32()`/`writeSInt32(_:)`.
    var methodSuffix: String {
        switch self {
        case .enumeration: "Enum"
        case .message: "Message"
        case .scalar(let type):
            switch type {
            case .double: "Double"
            case .float: "Float"
            case .int64: "Int64"
            case .uint64: "UInt64"
            case .int32: "Int32"
            case .fixed64: "Fixed64"
            case .fixed32: "Fixed32"
            case .bool: "Bool"
            case .string: "String"
            case .bytes: "Bytes"
            case .uint32: "UInt32"
            case .sfixed32: "SFixed32"
            case .sfixed64: "SFixed64"
            case .sint32: "SInt32"
            case .sint64: "SInt64"
            case .group, .message, .enum: "Never"
            }
        }
    }

    /// An expression that reads one value (the tag has been read).
    var readExpression: String { "try reader.read\(methodSuffix)()" }

    /// A statement that writes one value `value` (after its tag).
    func writeStatement(_ value: String) -> String { "writer.write\(methodSuffix)(\(value))" }

    /// An expression for the encoded size of one value (without its tag).
    func sizeExpression(_ value: String) -> String {
        switch self {
        case .enumeration: return "ProtobufSize.int32(\(value).rawValue)"
        case .message: return "ProtobufSize.message(\(value))"
        case .scalar(let type):
            switch type {
            case .double, .fixed64, .sfixed64: return "8"
            case .float, .fixed32, .sfixed32: return "4"
            case .bool: return "1"
            case .string: return "ProtobufSize.string(\(value))"
            case .bytes: return "ProtobufSize.bytes(\(value))"
            case .int32: return "ProtobufSize.int32(\(value))"
            case .int64: return "ProtobufSize.int64(\(value))"
            case .uint32: return "ProtobufSize.uint32(\(value))"
            case .uint64: return "ProtobufSize.uint64(\(value))"
            case .sint32: return "ProtobufSize.sint32(\(value))"
            case .sint64: return "ProtobufSize.sint64(\(value))"
            case .group, .message, .enum: return "0"
            }
        }
    }

    /// A condition that holds when `value` differs from the proto3 default.
    func nonDefaultCondition(_ value: String) -> String {
        switch self {
        case .enumeration: return "\(value).rawValue != 0"
        case .message: return "true"
        case .scalar(let type):
            switch type {
            case .double, .float: return "\(value).bitPattern != 0"
            case .bool: return value
            case .string, .bytes: return "!\(value).isEmpty"
            default: return "\(value) != 0"
            }
        }
    }

    /// An expression for the payload size of packed values `values`.
    func packedSizeExpression(_ values: String) -> String {
        switch self {
        case .scalar(.double), .scalar(.fixed64), .scalar(.sfixed64): "\(values).count &* 8"
        case .scalar(.float), .scalar(.fixed32), .scalar(.sfixed32): "\(values).count &* 4"
        case .scalar(.bool): "\(values).count"
        case .enumeration: "ProtobufSize.packedEnum(\(values))"
        default: "ProtobufSize.packed\(methodSuffix)(\(values))"
        }
    }
}
