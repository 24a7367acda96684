/// One subcommand group (`club`, `key`, ...): a name, a summary and its actions.
/// Each group lives in its own file; register it in ``CommandRegistry``.
protocol CommandGroup: Sendable {
    /// The group word, e.g. `club`.
    static var name: String { get }
    /// One line for the help text.
    static var summary: String { get }
    /// The group's actions.
    static var actions: [CommandAction] { get }
}

/// One action of a group (`create`, `get`, ...).
struct CommandAction: Sendable {
    /// The action word.
    let name: String
    /// The options it takes, for the help text.
    let usage: String
    /// One line for the help text.
    let summary: String
    /// Runs the action and returns what to print.
    let run: @Sendable (ParsedArguments, CommandEnvironment) async throws -> CommandOutput
}

/// What an action prints: a JSON object for `--json`, and lines for people.
struct CommandOutput: Sendable {
    /// The JSON value (printed with sorted keys).
    let json: JSONValue
    /// Human-readable lines.
    let text: [String]
}
