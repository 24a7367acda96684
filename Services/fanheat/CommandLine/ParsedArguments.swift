/// A command line split into positional words, `--name value` options and `--flag` switches.
struct ParsedArguments {
    /// Words that are not options, in order (e.g. `club`, `create`).
    var positional: [String] = []
    /// Options with values, by name without dashes; repeated options keep every value.
    var options: [String: [String]] = [:]
    /// Switches given without a value.
    var flags: Set<String> = []

    /// Option names that never take a value.
    static let switches: Set<String> = ["json", "help", "include-revoked", "opted-out-all", "all-clubs", "follow"]

    /// Parses `arguments` (without the program name). `--name=value` and `--name value` both work.
    init(_ arguments: [String]) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                if word == "-h" { flags.insert("help") } else { positional.append(word) }
                continue
            }
            let body = String(word.dropFirst(2))
            if let equals = body.firstIndex(of: "=") {
                options[String(body[..<equals]), default: []].append(String(body[body.index(after: equals)...]))
            } else if Self.switches.contains(body) {
                flags.insert(body)
            } else {
                guard index < arguments.count else { throw UsageError("option --\(body) needs a value") }
                options[body, default: []].append(arguments[index])
                index += 1
            }
        }
    }

    /// The last value of option `name`, if given.
    func value(_ name: String) -> String? { options[name]?.last }

    /// Every value of option `name`.
    func values(_ name: String) -> [String] { options[name] ?? [] }

    /// The value of a required option.
    func required(_ name: String) throws(UsageError) -> String {
        guard let value = value(name), !value.isEmpty else { throw UsageError("missing required option --\(name)") }
        return value
    }

    /// An integer option, or `defaultValue` when absent.
    func integer(_ name: String, default defaultValue: Int64 = 0) throws(UsageError) -> Int64 {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int64(text) else { throw UsageError("option --\(name) needs an integer, got \"\(text)\"") }
        return number
    }

    /// Whether switch `name` was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// A mistake in how the command was invoked (exit code 2).
struct UsageError: Error, CustomStringConvertible {
    /// What is wrong.
    let description: String

    /// Creates a usage error.
    init(_ description: String) { self.description = description }
}
