import Foundation

/// A service host's parsed and validated settings.
public struct HostConfiguration: Sendable {
    /// The `--listen` host.
    public var listenHost: String
    /// The `--listen` port (0 picks a free port).
    public var listenPort: Int
    /// `--data-dir` (env `FANHEAT_DATA_DIR`), created if missing.
    public var dataDirectory: String?
    /// Peer addresses by peer name.
    public var peerAddresses: [String: String]
    /// `--metrics-listen` host and port; `nil` when off.
    public var metricsHost: String?
    /// See ``metricsHost``.
    public var metricsPort: Int?
    /// `--log-level` (env `FANHEAT_LOG_LEVEL`).
    public var logLevel: Logger.Level
    /// `--shutdown-grace SECONDS`: how long in-flight calls may drain after SIGTERM.
    public var shutdownGrace: Duration
    /// Extra option values by option name.
    public var values: [String: String]

    /// The value of an extra option.
    public func value(_ name: String) -> String? { values[name] }

    /// The environment variable of a peer's address, e.g. `FANHEAT_IDENTITY_ADDR`.
    public static func peerEnvironmentName(_ peer: String) -> String {
        "FANHEAT_" + peer.uppercased().replacingOccurrences(of: "-", with: "_") + "_ADDR"
    }

    /// Parses `arguments` (without the program name) and `environment` per `specification`.
    public static func parse(_ specification: HostSpecification, arguments: [String],
                             environment: [String: String]) throws(HostError) -> HostConfiguration {
        var given: [String: String] = [:]
        let switches = Set(specification.options.filter(\.isSwitch).map(\.name))
        let valued = Set(["listen", "data-dir", "metrics-listen", "log-level", "shutdown-grace"]
                         + specification.peers.map { "\($0)-addr" }
                         + specification.options.filter { !$0.isSwitch }.map(\.name))
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else { throw HostError("unexpected argument \(argument); see --help") }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switches.contains(name) {
                given[name] = value ?? "true"
            } else if valued.contains(name) {
                if value == nil {
                    index += 1
                    guard index < arguments.count else { throw HostError("--\(name) needs a value") }
                    value = arguments[index]
                }
                given[name] = value
            } else {
                throw HostError("unknown flag --\(name); see --help")
            }
            index += 1
        }

        let listen = given["listen"] ?? environment["FANHEAT_LISTEN"] ?? "127.0.0.1:\(specification.defaultPort)"
        let (listenHost, listenPort) = try hostPort(listen, flag: "--listen")

        var peers: [String: String] = [:]
        for peer in specification.peers {
            let text = given["\(peer)-addr"] ?? environment[peerEnvironmentName(peer)]
                ?? "127.0.0.1:\(HostSpecification.defaultPorts[peer] ?? 7000)"
            _ = try hostPort(text, flag: "--\(peer)-addr")
            peers[peer] = text
        }

        var metricsHost: String?
        var metricsPort: Int?
        let metrics = given["metrics-listen"] ?? environment["FANHEAT_METRICS_LISTEN"]
            ?? "\(listenHost):\(listenPort == 0 ? 0 : listenPort + 1000)"
        if metrics != "off" && metrics != "none" {
            let parsed = try hostPort(metrics, flag: "--metrics-listen")
            metricsHost = parsed.0
            metricsPort = parsed.1
        }

        let levelText = given["log-level"] ?? environment["FANHEAT_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(name: levelText) else {
            throw HostError("--log-level \(levelText) is not one of debug, info, warning, error")
        }

        if let loops = environment["FANHEAT_EVENT_LOOPS"], !(Int(loops).map { (1...256).contains($0) } ?? false) {
            throw HostError("FANHEAT_EVENT_LOOPS \(loops) must be a number of event loops between 1 and 256")
        }

        let graceText = given["shutdown-grace"] ?? "10"
        guard let graceSeconds = Double(graceText), graceSeconds >= 0, graceSeconds <= 3600 else {
            throw HostError("--shutdown-grace \(graceText) must be a number of seconds between 0 and 3600")
        }

        let dataDirectory = given["data-dir"] ?? environment["FANHEAT_DATA_DIR"]
        if let dataDirectory { try prepareDirectory(dataDirectory) }

        var values: [String: String] = [:]
        for option in specification.options {
            if let value = given[option.name] ?? option.environment.flatMap({ environment[$0] }) ?? option.defaultValue {
                values[option.name] = value
            } else if option.isRequired {
                throw HostError("--\(option.name) is required: \(option.help)")
            }
        }
        return HostConfiguration(listenHost: listenHost, listenPort: listenPort, dataDirectory: dataDirectory,
                                 peerAddresses: peers, metricsHost: metricsHost, metricsPort: metricsPort,
                                 logLevel: level, shutdownGrace: .milliseconds(Int64(graceSeconds * 1000)), values: values)
    }

    /// Splits and validates `HOST:PORT`.
    static func hostPort(_ text: String, flag: String) throws(HostError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65_535).contains(port) else {
            throw HostError("\(flag) \(text) is not HOST:PORT with a port from 0 to 65535")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw HostError("\(flag) \(text) has no host") }
        return (host, port)
    }

    private static func prepareDirectory(_ path: String) throws(HostError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw HostError("--data-dir \(path) exists and is not a directory") }
        } else {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw HostError("--data-dir \(path) cannot be created: \(error.localizedDescription)")
            }
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw HostError("--data-dir \(path) is not writable")
        }
    }

    /// The `--help` text.
    public static func usage(_ specification: HostSpecification) -> String {
        var lines = ["usage: \(specification.name) [flags]"]
        if !specification.summary.isEmpty { lines.append(specification.summary) }
        lines.append("  --listen HOST:PORT           gRPC address (default 127.0.0.1:\(specification.defaultPort); env FANHEAT_LISTEN)")
        lines.append("  --metrics-listen HOST:PORT   Prometheus /metrics address, or off (default: listen port + 1000)")
        lines.append("  --data-dir DIR               data directory, created if missing (env FANHEAT_DATA_DIR)")
        lines.append("  --log-level LEVEL            debug, info, warning or error (default info; env FANHEAT_LOG_LEVEL)")
        lines.append("  --shutdown-grace SECONDS     drain time after SIGTERM/SIGINT (default 10)")
        for peer in specification.peers {
            lines.append("  --\(peer)-addr HOST:PORT    address of \(peer) (env \(peerEnvironmentName(peer)))")
        }
        for option in specification.options {
            var line = "  --\(option.name)\(option.isSwitch ? "" : " VALUE")    \(option.help)"
            if let value = option.defaultValue { line += " (default \(value))" }
            if let variable = option.environment { line += " (env \(variable))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
