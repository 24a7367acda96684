/// A configuration or startup error of a service host (exit code 2).
public struct HostError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the flag or value.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
