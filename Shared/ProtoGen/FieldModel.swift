/// One field of a message as the emitters see it.
struct FieldModel {
    /// How the field holds its values.
    enum Shape {
        /// proto3 implicit presence: the default value is not sent.
        case singular
        /// proto3 `optional`, or a singular message: `T?`.
        case optional
        /// `repeated`, packed on encode when `packed`.
        case repeated(packed: Bool)
        /// `map<K, V>`.
        case map(key: ValueKind, value: ValueKind)
        /// A member of the oneof at this index.
        case oneof(Int)
    }

    /// The protobuf field name.
    let protoName: String
    /// The Swift property (or oneof case) name.
    let swiftName: String
    /// The field number.
    let number: Int
    /// The value kind (for maps: the entry message, unused).
    let kind: ValueKind
    /// The shape.
    let shape: Shape

    /// Builds the model of `field`.
    init(field: FieldDescriptorProto, types: TypeTable, syntheticOneofs: Set<Int32>) throws(GeneratorError) {
        protoName = field.name
        swiftName = Naming.propertyName(field.name)
        number = Int(field.number)
        kind = try ValueKind(field: field, types: types)
        if field.isRepeated {
            if case .message = kind, case .message(let entry, _) = try types.entry(field.typeName), entry.isMapEntry {
                guard entry.fields.count == 2 else { throw GeneratorError("map entry \(entry.name) is malformed") }
                shape = .map(key: try ValueKind(field: entry.fields[0], types: types),
                             value: try ValueKind(field: entry.fields[1], types: types))
            } else {
                shape = .repeated(packed: kind.isPackable && (field.packedOption ?? true))
            }
        } else if let index = field.oneofIndex, !syntheticOneofs.contains(index) {
            shape = .oneof(Int(index))
        } else if field.isProto3Optional {
            shape = .optional
        } else if case .message = kind {
            shape = .optional
        } else {
            shape = .singular
        }
    }

    /// The tag for this field with wire type `wireType`.
    func tag(_ wireType: UInt32) -> UInt32 { UInt32(number) << 3 | wireType }

    /// `self.name` with backticks where needed.
    var reference: String { "self.\(Naming.identifier(swiftName))" }

    /// The declared Swift type of the property.
    var propertyType: String {
        switch shape {
        case .singular, .oneof: kind.swiftType
        case .optional: kind.swiftType + "?"
        case .repeated: "[\(kind.swiftType)]"
        case .map(let key, let value): "[\(key.swiftType): \(value.swiftType)]"
        }
    }

    /// The property's initial value.
    var initialValue: String {
        switch shape {
        case .singular, .oneof: kind.defaultValue
        case .optional: "nil"
        case .repeated: "[]"
        case .map: "[:]"
        }
    }
}
