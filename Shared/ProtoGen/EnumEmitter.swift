/// Emits the Swift enum for one protobuf enum: one case per distinct number
/// (aliases become static constants) plus `unrecognized(Int32)`.
struct EnumEmitter {
    /// The enum.
    let enumeration: EnumDescriptorProto
    /// The fully qualified protobuf name.
    let protoName: String
    /// The declared Swift name (prefixed for top-level enums, short for nested ones).
    let declaredName: String

    /// Emits the declaration into `out`.
    func emit(into out: inout SourceBuilder) {
        let typeName = declaredName
        var cases: [(name: String, number: Int32, protoName: String)] = []
        var aliases: [(name: String, target: String, protoName: String)] = []
        for value in enumeration.values {
            let name = Naming.enumCaseName(value: value.name, enumName: enumeration.name)
            if let existing = cases.first(where: { $0.number == value.number }) {
                aliases.append((name, existing.name, value.name))
            } else {
                cases.append((name, value.number, value.name))
            }
        }
        let zero = cases.first(where: { $0.number == 0 })?.name ?? cases.first?.name
        out.line("/// The protobuf enum `\(protoName)` (open: unknown numbers are kept).")
        out.block("public enum \(typeName): ProtobufEnum {") { out in
            for item in cases {
                out.line("/// `\(item.protoName) = \(item.number)`.")
                out.line("case \(Naming.identifier(item.name))")
            }
            out.line("/// A number this version of the contract does not declare.")
            out.line("case unrecognized(Int32)")
            for alias in aliases {
                out.line("/// `\(alias.protoName)`, an alias.")
                out.line("public static let \(Naming.identifier(alias.name)): Self = .\(Naming.identifier(alias.target))")
            }
            out.line()
            out.line("/// The value 0.")
            if let zero {
                out.line("public init() { self = .\(Naming.identifier(zero)) }")
            } else {
                out.line("public init() { self = .unrecognized(0) }")
            }
            out.line()
            out.line("/// The case for `rawValue`.")
            out.block("public init(rawValue: Int32) {") { out in
                out.switchBlock("switch rawValue {") { out in
                    for item in cases { out.line("case \(item.number): self = .\(Naming.identifier(item.name))") }
                    out.line("default: self = .unrecognized(rawValue)")
                }
            }
            out.line()
            out.line("/// The number sent on the wire.")
            out.block("public var rawValue: Int32 {") { out in
                out.switchBlock("switch self {") { out in
                    for item in cases { out.line("case .\(Naming.identifier(item.name)): \(item.number)") }
                    out.line("case .unrecognized(let value): value")
                }
            }
            out.line()
            out.line("/// The declared cases.")
            let list = cases.map { "." + Naming.identifier($0.name) }.joined(separator: ", ")
            out.line("public static var allCases: [Self] { [\(list)] }")
        }
    }
}
