/// Emits `encodeMessage(to:)` and `serializedSize()`, fields in number order.
extension MessageEmitter {
    /// The fields in encoding order: by number, each oneof at its lowest member.
    private var encodingOrder: [FieldModel] {
        var seenOneofs = Set<Int>()
        var result: [FieldModel] = []
        for field in fields.sorted(by: { $0.number < $1.number }) {
            if case .oneof(let index) = field.shape {
                if seenOneofs.contains(index) { continue }
                seenOneofs.insert(index)
            }
            result.append(field)
        }
        return result
    }

    func emitEncode(into out: inout SourceBuilder) {
        out.line("/// Writes the fields that differ from their defaults, then the unknown fields.")
        out.block("public func encodeMessage(to writer: inout ProtobufWriter) {") { out in
            for field in encodingOrder { emitEncode(field, into: &out) }
            out.line("writer.writeUnknownFields(self.unknownFields)")
        }
    }

    func emitSize(into out: inout SourceBuilder) {
        out.line("/// The number of bytes `encodeMessage(to:)` writes.")
        out.block("public func serializedSize() -> Int {") { out in
            out.line("var size = 0")
            for field in encodingOrder { emitSize(field, into: &out) }
            out.line("size &+= self.unknownFields.bytes.count")
            out.line("return size")
        }
    }

    private func emitEncode(_ field: FieldModel, into out: inout SourceBuilder) {
        let kind = field.kind
        let reference = field.reference
        let tag = field.tag(kind.wireType)
        switch field.shape {
        case .singular:
            out.line("if \(kind.nonDefaultCondition(reference)) { writer.writeTag(\(tag)); \(kind.writeStatement(reference)) }")
        case .optional:
            out.line("if let value = \(reference) { writer.writeTag(\(tag)); \(kind.writeStatement("value")) }")
        case .repeated(let packed):
            if packed {
                out.line("if !\(reference).isEmpty { writer.writeTag(\(field.tag(2))); writer.writePacked\(kind.methodSuffix)(\(reference)) }")
            } else {
                // Reading through the buffer borrows each element; `for value in` or indexing the
                // array copies (retains) it.
                out.block("\(reference).withUnsafeBufferPointer { values in") { out in
                    out.line("for index in values.indices { writer.writeTag(\(tag)); \(kind.writeStatement("values[index]")) }")
                }
            }
        case .map(let key, let value):
            // In key order, so that equal maps encode identically; small maps sort on the stack.
            out.block("ProtobufMap.forEachOrdered(\(reference)) { key, value in") { out in
                out.line("writer.writeTag(\(field.tag(2)))")
                out.line("writer.writeVarint(UInt64(\(mapEntrySize(key: key, value: value))))")
                out.line("writer.writeTag(\(UInt32(1 << 3) | key.wireType)); \(key.writeStatement("key"))")
                out.line("writer.writeTag(\(UInt32(2 << 3) | value.wireType)); \(value.writeStatement("value"))")
            }
        case .oneof(let index):
            guard let oneof = oneofs.first(where: { $0.index == index }) else { return }
            out.switchBlock("switch self.\(Naming.identifier(oneof.property)) {") { out in
                for member in fields {
                    guard case .oneof(index) = member.shape else { continue }
                    let caseName = Naming.identifier(member.swiftName)
                    let memberTag = member.tag(member.kind.wireType)
                    out.line("case .\(caseName)(let value)?: writer.writeTag(\(memberTag)); \(member.kind.writeStatement("value"))")
                }
                out.line("case nil: break")
            }
        }
    }

    private func emitSize(_ field: FieldModel, into out: inout SourceBuilder) {
        let kind = field.kind
        let reference = field.reference
        let tagSize = ProtobufTagSize.of(field.tag(kind.wireType))
        switch field.shape {
        case .singular:
            out.line("if \(kind.nonDefaultCondition(reference)) { size &+= \(tagSize) &+ \(kind.sizeExpression(reference)) }")
        case .optional:
            if kind.sizeExpression("value").contains("value") {
                out.line("if let value = \(reference) { size &+= \(tagSize) &+ \(kind.sizeExpression("value")) }")
            } else {
                out.line("if \(reference) != nil { size &+= \(tagSize) &+ \(kind.sizeExpression("value")) }")
            }
        case .repeated(let packed):
            if packed {
                out.line("if !\(reference).isEmpty { size &+= \(ProtobufTagSize.of(field.tag(2))) &+ ProtobufSize.lengthDelimited(\(kind.packedSizeExpression(reference))) }")
            } else {
                if kind.sizeExpression("value").contains("value") {
                    out.block("\(reference).withUnsafeBufferPointer { values in") { out in
                        out.line("for index in values.indices { size &+= \(tagSize) &+ \(kind.sizeExpression("values[index]")) }")
                    }
                } else {
                    out.line("size &+= \(reference).count &* (\(tagSize) &+ \(kind.sizeExpression("value")))")
                }
            }
        case .map(let key, let value):
            let keyName = key.sizeExpression("key").contains("key") ? "key" : "_"
            let valueName = value.sizeExpression("value").contains("value") ? "value" : "_"
            out.line("for (\(keyName), \(valueName)) in \(reference) { size &+= \(ProtobufTagSize.of(field.tag(2))) &+ ProtobufSize.lengthDelimited(\(mapEntrySize(key: key, value: value))) }")
        case .oneof(let index):
            guard let oneof = oneofs.first(where: { $0.index == index }) else { return }
            out.switchBlock("switch self.\(Naming.identifier(oneof.property)) {") { out in
                for member in fields {
                    guard case .oneof(index) = member.shape else { continue }
                    let caseName = Naming.identifier(member.swiftName)
                    let memberTagSize = ProtobufTagSize.of(member.tag(member.kind.wireType))
                    let sizeExpression = member.kind.sizeExpression("value")
                    let pattern = sizeExpression.contains("value") ? "(let value)" : ""
                    out.line("case .\(caseName)\(pattern)?: size &+= \(memberTagSize) &+ \(sizeExpression)")
                }
                out.line("case nil: break")
            }
        }
    }

    private func mapEntrySize(key: ValueKind, value: ValueKind) -> String {
        "2 &+ \(key.sizeExpression("key")) &+ \(value.sizeExpression("value"))"
    }
}

/// Tag sizes computed at generation time.
enum ProtobufTagSize {
    /// Bytes the varint `tag` takes.
    static func of(_ tag: UInt32) -> Int {
        var value = tag
        var count = 1
        while value >= 0x80 {
            value >>= 7
            count += 1
        }
        return count
    }
}
