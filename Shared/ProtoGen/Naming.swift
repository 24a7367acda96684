/// Protobuf-to-Swift naming rules (swift-protobuf style): `fanheat.ingest.v1.Activity`
/// becomes `Fanheat_Ingest_V1_Activity`, `event_id` becomes `eventID`, and
/// `ACTIVITY_KIND_CONTENT_VIEW` in `ActivityKind` becomes `contentView`.
enum Naming {
    /// Words written in capitals when they are not the first of a lowerCamelCase name.
    static let upperWords: Set<String> = ["id", "url", "http", "https"]

    /// Swift keywords that need backticks as identifiers.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
        "super", "throws", "true", "try", "Type", "Protocol",
    ]

    /// Member names generated code already uses, which fields must not take.
    static let reservedMembers: Set<String> = ["unknownFields", "serializedSize", "protoMessageName"]

    /// `name`, in backticks if it is a keyword.
    static func identifier(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }

    /// The Swift prefix of a package: `grpc.reflection.v1alpha` → `Grpc_Reflection_V1alpha_`.
    static func typePrefix(package: String) -> String {
        guard !package.isEmpty else { return "" }
        return package.split(separator: ".").map { upperCamel(String($0)) }.joined(separator: "_") + "_"
    }

    /// A type name safe to declare: `Type` → `TypeMessage`.
    static func typeName(_ name: String) -> String {
        ["Type", "Protocol", "Self", "Any", "Sendable", "Equatable"].contains(name) ? name + "Message" : name
    }

    /// `snake_case` → `UpperCamelCase` (keeps existing capitals).
    static func upperCamel(_ name: String) -> String {
        words(name).map(capitalized).joined()
    }

    /// `snake_case` → `lowerCamelCase`, with `id`/`url`/`http(s)` as `ID`/`URL`/...
    static func lowerCamel(_ name: String) -> String {
        let parts = words(name)
        guard let first = parts.first else { return "_" }
        var result = lowercasedFirst(first)
        for word in parts.dropFirst() {
            result += upperWords.contains(word.lowercased()) ? word.uppercased() : capitalized(word)
        }
        if result.first?.isNumber == true { result = "_" + result }
        return result
    }

    /// A field's property name.
    static func propertyName(_ fieldName: String) -> String {
        let name = lowerCamel(fieldName)
        return reservedMembers.contains(name) ? name + "_p" : name
    }

    /// `ActivityKind` → `ACTIVITY_KIND`.
    static func upperSnake(_ name: String) -> String {
        var result = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { result += "_" }
            result += character.uppercased()
            previous = character
        }
        return result
    }

    /// An enum case name: the `ENUM_NAME_` prefix removed, then lowerCamelCase.
    static func enumCaseName(value: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        var stripped = value
        if value.hasPrefix(prefix) {
            let rest = String(value.dropFirst(prefix.count))
            if let first = rest.first, !first.isNumber { stripped = rest }
        }
        let name = lowerCamel(stripped.lowercased())
        return ["unrecognized", "allCases", "rawValue"].contains(name) ? name + "_" : name
    }

    private static func words(_ name: String) -> [String] {
        name.split(separator: "_").map(String.init)
    }

    private static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }

    private static func lowercasedFirst(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.lowercased() + word.dropFirst()
    }
}
