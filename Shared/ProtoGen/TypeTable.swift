/// Every message and enum of the descriptor set, by fully qualified protobuf name.
struct TypeTable {
    /// One named type.
    enum Entry {
        /// A message and its Swift type name.
        case message(DescriptorProto, swiftName: String)
        /// An enum and its Swift type name.
        case enumeration(EnumDescriptorProto, swiftName: String)
    }

    private var entries: [String: Entry] = [:]

    /// Indexes every type of `files`.
    init(files: [FileDescriptorProto]) {
        for file in files {
            let protoPrefix = file.package.isEmpty ? "" : "." + file.package
            let swiftPrefix = Naming.typePrefix(package: file.package)
            for message in file.messageTypes {
                add(message, protoPrefix: protoPrefix, swiftName: swiftPrefix + Naming.typeName(message.name))
            }
            for enumeration in file.enumTypes {
                entries[protoPrefix + "." + enumeration.name] =
                    .enumeration(enumeration, swiftName: swiftPrefix + Naming.typeName(enumeration.name))
            }
        }
    }

    private mutating func add(_ message: DescriptorProto, protoPrefix: String, swiftName: String) {
        let protoName = protoPrefix + "." + message.name
        entries[protoName] = .message(message, swiftName: swiftName)
        for nested in message.nestedTypes {
            add(nested, protoPrefix: protoName, swiftName: swiftName + "." + Naming.typeName(nested.name))
        }
        for enumeration in message.enumTypes {
            entries[protoName + "." + enumeration.name] =
                .enumeration(enumeration, swiftName: swiftName + "." + Naming.typeName(enumeration.name))
        }
    }

    /// The entry for a fully qualified name with its leading dot.
    func entry(_ protoName: String) throws(GeneratorError) -> Entry {
        guard let entry = entries[protoName] else { throw GeneratorError("unknown type \(protoName)") }
        return entry
    }

    /// The Swift type name for a fully qualified protobuf name.
    func swiftName(_ protoName: String) throws(GeneratorError) -> String {
        switch try entry(protoName) {
        case .message(_, let swiftName), .enumeration(_, let swiftName): swiftName
        }
    }
}

/// A generator failure with a message for the user.
struct GeneratorError: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Creates an error.
    init(_ description: String) { self.description = description }
}
