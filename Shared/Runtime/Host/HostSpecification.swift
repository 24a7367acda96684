/// What a service host accepts on its command line: its name and default port, the
/// peers it calls, and its own extra options.
public struct HostSpecification: Sendable {
    /// The service name used in logs and flags, e.g. `identity`.
    public var name: String
    /// The default `--listen` port.
    public var defaultPort: Int
    /// Peer services this one calls; each gets `--NAME-addr HOST:PORT` and env `FANHEAT_NAME_ADDR`.
    public var peers: [String]
    /// Extra options.
    public var options: [HostOption]
    /// One line describing the service, for `--help`.
    public var summary: String

    /// The FanHeat services' default ports.
    public static let defaultPorts = ["identity": 7001, "activity-ingest": 7002, "scoring": 7003,
                                      "recommendation": 7004, "notification": 7005]

    /// Creates a specification; `defaultPort` defaults to the service's well-known port.
    public init(name: String, defaultPort: Int? = nil, peers: [String] = [], options: [HostOption] = [],
                summary: String = "") {
        self.name = name
        self.defaultPort = defaultPort ?? Self.defaultPorts[name] ?? 7000
        self.peers = peers
        self.options = options
        self.summary = summary
    }
}

/// One extra command-line option of a service.
public struct HostOption: Sendable {
    /// The flag name without dashes, e.g. `api-key-file`.
    public var name: String
    /// What it does, for `--help`.
    public var help: String
    /// The value when neither the flag nor the environment variable is given.
    public var defaultValue: String?
    /// An environment variable that sets it (the flag wins).
    public var environment: String?
    /// Whether the option must have a value.
    public var isRequired: Bool
    /// Whether the option is a switch without a value (`--name` sets it to `true`).
    public var isSwitch: Bool

    /// Creates an option.
    public init(_ name: String, help: String, defaultValue: String? = nil, environment: String? = nil,
                isRequired: Bool = false, isSwitch: Bool = false) {
        self.name = name
        self.help = help
        self.defaultValue = defaultValue
        self.environment = environment
        self.isRequired = isRequired
        self.isSwitch = isSwitch
    }
}
