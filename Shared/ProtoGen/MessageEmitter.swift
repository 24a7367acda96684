/// Emits the Swift struct for one message type, its nested types, and its codec.
struct MessageEmitter {
    /// The message.
    let message: DescriptorProto
    /// The fully qualified protobuf name (no leading dot).
    let protoName: String
    /// The Swift type name (dotted for nested types).
    let swiftName: String
    /// All types.
    let types: TypeTable
    /// The fields, in declaration order.
    let fields: [FieldModel]
    /// The real (non-synthetic) oneofs: index, Swift property name, enum name.
    let oneofs: [(index: Int, property: String, enumName: String)]

    /// Builds the models of `message`'s fields.
    init(message: DescriptorProto, protoName: String, swiftName: String, types: TypeTable) throws(GeneratorError) {
        self.message = message
        self.protoName = protoName
        self.swiftName = swiftName
        self.types = types
        var synthetic = Set<Int32>()
        for field in message.fields where field.isProto3Optional {
            if let index = field.oneofIndex { synthetic.insert(index) }
        }
        var models: [FieldModel] = []
        for field in message.fields {
            models.append(try FieldModel(field: field, types: types, syntheticOneofs: synthetic))
        }
        fields = models
        oneofs = message.oneofNames.enumerated().compactMap { index, name in
            synthetic.contains(Int32(index)) ? nil
                : (index, Naming.propertyName(name), "OneOf_" + Naming.upperCamel(name))
        }
    }

    /// The short Swift name (last component).
    var shortName: String { String(swiftName.split(separator: ".").last ?? "") }

    /// Emits the struct declaration (with nested types) into `out`.
    func emitDeclaration(into out: inout SourceBuilder) throws(GeneratorError) {
        out.line("/// The protobuf message `\(protoName)`.")
        var failure: GeneratorError?
        out.block("public struct \(shortName): ProtobufMessage {") { out in
            out.line("/// The fully qualified protobuf name.")
            out.line("public static let protoMessageName = \"\(protoName)\"")
            out.line()
            emitProperties(into: &out)
            out.line("/// Fields this version of the contract does not declare, kept and re-emitted on encode.")
            out.line("public var unknownFields = ProtobufUnknownFields()")
            out.line()
            out.line("/// Creates a message with every field at its default value.")
            out.line("public init() {}")
            for oneof in oneofs { emitOneofEnum(oneof, into: &out) }
            for enumeration in message.enumTypes {
                out.line()
                EnumEmitter(enumeration: enumeration, protoName: protoName + "." + enumeration.name,
                            declaredName: Naming.typeName(enumeration.name))
                    .emit(into: &out)
            }
            for nested in message.nestedTypes where !nested.isMapEntry {
                out.line()
                do throws(GeneratorError) {
                    try MessageEmitter(message: nested, protoName: protoName + "." + nested.name,
                                       swiftName: swiftName + "." + Naming.typeName(nested.name), types: types)
                        .emitDeclaration(into: &out)
                } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// Emits the codec extensions of this message and its nested messages.
    func emitCodec(into out: inout SourceBuilder) throws(GeneratorError) {
        out.line()
        out.block("extension \(swiftName) {") { out in
            emitDecode(into: &out)
            out.line()
            emitEncode(into: &out)
            out.line()
            emitSize(into: &out)
        }
        for nested in message.nestedTypes where !nested.isMapEntry {
            try MessageEmitter(message: nested, protoName: protoName + "." + nested.name,
                               swiftName: swiftName + "." + Naming.typeName(nested.name), types: types)
                .emitCodec(into: &out)
        }
    }

    private func emitProperties(into out: inout SourceBuilder) {
        var emittedOneofs = Set<Int>()
        for field in fields {
            if case .oneof(let index) = field.shape {
                guard !emittedOneofs.contains(index), let oneof = oneofs.first(where: { $0.index == index }) else { continue }
                emittedOneofs.insert(index)
                out.line("/// The oneof `\(message.oneofNames[index])`: at most one of its fields is set.")
                out.line("public var \(Naming.identifier(oneof.property)): \(oneof.enumName)? = nil")
                out.line()
                for member in fields {
                    guard case .oneof(index) = member.shape else { continue }
                    emitOneofAccessor(member, oneof: oneof, into: &out)
                }
                continue
            }
            let presence: String
            switch field.shape {
            case .optional: presence = " (`nil` when absent)"
            default: presence = ""
            }
            out.line("/// Field \(field.number), `\(field.protoName)`\(presence).")
            out.line("public var \(Naming.identifier(field.swiftName)): \(field.propertyType) = \(field.initialValue)")
            out.line()
        }
    }

    private func emitOneofAccessor(_ field: FieldModel, oneof: (index: Int, property: String, enumName: String),
                                   into out: inout SourceBuilder) {
        let name = Naming.identifier(field.swiftName)
        out.line("/// Field \(field.number), `\(field.protoName)`: its value if the oneof holds it, else the default;")
        out.line("/// setting it makes the oneof hold it.")
        out.block("public var \(name): \(field.kind.swiftType) {") { out in
            out.line("get { if case .\(name)(let value)? = self.\(Naming.identifier(oneof.property)) { return value }; return \(field.kind.defaultValue) }")
            out.line("set { self.\(Naming.identifier(oneof.property)) = .\(name)(newValue) }")
        }
        out.line()
    }

    private func emitOneofEnum(_ oneof: (index: Int, property: String, enumName: String), into out: inout SourceBuilder) {
        out.line()
        out.line("/// The fields of the oneof `\(message.oneofNames[oneof.index])`.")
        out.block("public enum \(oneof.enumName): Sendable, Equatable {") { out in
            for field in fields {
                guard case .oneof(oneof.index) = field.shape else { continue }
                out.line("/// Field \(field.number), `\(field.protoName)`.")
                out.line("case \(Naming.identifier(field.swiftName))(\(field.kind.swiftType))")
            }
        }
    }
}
