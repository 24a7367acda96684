/// Emits `decodeMessage(from:)`: one `case` per (field, accepted wire type) tag.
extension MessageEmitter {
    /// The largest map decoded into a copy of its field's empty template (see `emitDecode`).
    static let mapTemplateCapacity = 3

    func emitDecode(into out: inout SourceBuilder) {
        // An empty dictionary with room for a few entries per map field: a map's first entry
        // starts from a copy of it (a copy-on-write copy of its storage), which is cheaper than
        // Dictionary(minimumCapacity:), an unspecialized call with a metadata lookup.
        for field in fields {
            guard case .map(let key, let value) = field.shape else { continue }
            out.line("private static let \(mapTemplateName(field)) = [\(key.swiftType): \(value.swiftType)](minimumCapacity: \(Self.mapTemplateCapacity))")
            out.line()
        }
        out.line("/// Merges the fields read from `reader` into this message.")
        out.block("public mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {") { out in
            out.block("while reader.hasRemaining {") { out in
                out.switchBlock("switch try reader.readTag() {") { out in
                    for field in fields { emitDecodeCases(field, into: &out) }
                    out.line("default:")
                    out.indented { out in
                        if fields.isEmpty {
                            out.line("try reader.readUnknownField(into: &self.unknownFields)")
                        } else {
                            let numbers = fields.map { String($0.number) }.joined(separator: ", ")
                            out.switchBlock("switch reader.fieldNumber {") { out in
                                out.line("case \(numbers): throw reader.wrongWireType()")
                                out.line("default: try reader.readUnknownField(into: &self.unknownFields)")
                            }
                        }
                    }
                }
            }
        }
    }

    private func emitDecodeCases(_ field: FieldModel, into out: inout SourceBuilder) {
        let kind = field.kind
        let reference = field.reference
        switch field.shape {
        case .singular:
            out.line("case \(field.tag(kind.wireType)): \(reference) = \(kind.readExpression)")
        case .optional:
            if case .message = kind {
                out.line("case \(field.tag(2)):")
                out.indented { out in
                    out.line("if \(reference) == nil { \(reference) = \(kind.defaultValue) }")
                    out.line("try reader.readMessage(into: &\(reference)!)")
                }
            } else {
                out.line("case \(field.tag(kind.wireType)): \(reference) = \(kind.readExpression)")
            }
        case .repeated:
            // The first element reserves room for all of them (see occurrencesOfCurrentTag()).
            out.line("case \(field.tag(kind.wireType)):")
            out.indented { out in
                out.line("if \(reference).isEmpty { \(reference).reserveCapacity(reader.occurrencesOfCurrentTag()) }")
                out.line("\(reference).append(\(kind.readExpression))")
            }
            if kind.isPackable {
                out.line("case \(field.tag(2)): try reader.readPacked\(kind.methodSuffix)(into: &\(reference))")
            }
        case .map(let key, let value):
            out.line("case \(field.tag(2)):")
            out.indented { out in
                // Room for every entry up front: growing a dictionary rehashes every key.
                out.block("if \(reference).isEmpty {") { out in
                    out.line("let count = reader.occurrencesOfCurrentTag()")
                    out.line("\(reference) = count <= \(Self.mapTemplateCapacity) ? Self.\(mapTemplateName(field)) : Dictionary(minimumCapacity: count)")
                }
                out.line("var key: \(key.swiftType) = \(key.defaultValue)")
                out.line("var value: \(value.swiftType) = \(value.defaultValue)")
                out.line("let outerEnd = try reader.enterLengthDelimited()")
                out.block("while reader.hasRemaining {") { out in
                    out.switchBlock("switch try reader.readTag() {") { out in
                        out.line("case \(UInt32(1 << 3) | key.wireType): key = \(key.readExpression)")
                        if case .message = value {
                            out.line("case \(UInt32(2 << 3) | value.wireType): try reader.readMessage(into: &value)")
                        } else {
                            out.line("case \(UInt32(2 << 3) | value.wireType): value = \(value.readExpression)")
                        }
                        out.line("default:")
                        out.line("    if reader.fieldNumber <= 2 { throw reader.wrongWireType() }")
                        out.line("    try reader.skipFieldValue()")
                    }
                }
                out.line("reader.leaveLengthDelimited(outerEnd)")
                out.line("\(reference)[key] = value")
            }
        case .oneof(let index):
            guard let oneof = oneofs.first(where: { $0.index == index }) else { return }
            let property = "self.\(Naming.identifier(oneof.property))"
            let caseName = Naming.identifier(field.swiftName)
            if case .message = kind {
                out.line("case \(field.tag(2)):")
                out.indented { out in
                    out.line("var value = \(kind.defaultValue)")
                    out.line("if case .\(caseName)(let existing)? = \(property) { value = existing }")
                    out.line("try reader.readMessage(into: &value)")
                    out.line("\(property) = .\(caseName)(value)")
                }
            } else {
                out.line("case \(field.tag(kind.wireType)): \(property) = .\(caseName)(\(kind.readExpression))")
            }
        }
    }

    /// The name of the empty-dictionary template of map field `field`.
    private func mapTemplateName(_ field: FieldModel) -> String {
        "_\(field.swiftName)MapTemplate"
    }
}
