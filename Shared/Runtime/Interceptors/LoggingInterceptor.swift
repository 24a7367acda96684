import FanHeatRPC

/// Logs every finished call as a JSON line: OK calls at debug level, failures at info
/// (server faults — INTERNAL, UNKNOWN, DATA_LOSS — at warning).
public struct LoggingInterceptor: ServerInterceptor {
    /// Where lines go.
    public let logger: Logger

    /// Creates the interceptor.
    public init(logger: Logger) { self.logger = logger }

    /// Logs the call.
    public func finished(_ call: FinishedCall) {
        let level: Logger.Level
        switch call.code {
        case .ok: level = .debug
        case .internal, .unknown, .dataLoss: level = .warning
        default: level = .info
        }
        guard logger.isEnabled(level) else { return }
        let micros = call.duration.components.seconds * 1_000_000 + call.duration.components.attoseconds / 1_000_000_000_000
        var fields = ["method": call.path, "code": call.code.name, "duration_us": String(micros), "peer": call.peer,
                      "bytes_in": String(call.requestBytes), "bytes_out": String(call.responseBytes)]
        if !call.message.isEmpty { fields["status_message"] = call.message }
        logger.log(level, "rpc", fields)
    }
}
