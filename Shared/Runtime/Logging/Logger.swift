import Foundation
import Glibc

/// A structured logger writing one JSON object per line to stderr:
/// `{"ts":"…","level":"info","service":"identity","msg":"…", …fields}`.
public struct Logger: Sendable {
    /// Log levels, in increasing severity.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        /// The name used in log lines and `--log-level`.
        public var name: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }

        /// Parses a level name (`warn` accepted).
        public init?(name: String) {
            switch name.lowercased() {
            case "debug", "trace": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            default: return nil
            }
        }

        /// Orders by severity.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The `service` field of every line.
    public let service: String
    /// Lines below this level are dropped.
    public let minimumLevel: Level
    /// Fields added to every line.
    public let fields: [String: String]

    /// Creates a logger.
    public init(service: String, minimumLevel: Level = .info, fields: [String: String] = [:]) {
        self.service = service
        self.minimumLevel = minimumLevel
        self.fields = fields
    }

    /// A logger adding `fields` to every line.
    public func with(_ fields: [String: String]) -> Logger {
        Logger(service: service, minimumLevel: minimumLevel, fields: self.fields.merging(fields) { $1 })
    }

    /// Whether lines at `level` are written.
    public func isEnabled(_ level: Level) -> Bool { level >= minimumLevel }

    /// Logs at debug level.
    public func debug(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) { log(.debug, message(), fields) }
    /// Logs at info level.
    public func info(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) { log(.info, message(), fields) }
    /// Logs at warning level.
    public func warning(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) { log(.warning, message(), fields) }
    /// Logs at error level.
    public func error(_ message: @autoclosure () -> String, _ fields: [String: String] = [:]) { log(.error, message(), fields) }

    /// Writes one line if `level` is enabled.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ extra: [String: String] = [:]) {
        guard level >= minimumLevel else { return }
        var line = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(level.name)\",\"service\":"
        Self.appendJSONString(service, to: &line)
        line += ",\"msg\":"
        Self.appendJSONString(message(), to: &line)
        for (key, value) in fields.merging(extra, uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            line += ","
            Self.appendJSONString(key, to: &line)
            line += ":"
            Self.appendJSONString(value, to: &line)
        }
        line += "}\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// RFC 3339 UTC time with milliseconds.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }

    /// Appends `text` as a JSON string literal.
    static func appendJSONString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
