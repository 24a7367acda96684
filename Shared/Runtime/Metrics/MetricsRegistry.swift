import FanHeatRPC
import Synchronization

/// The server's metrics and their Prometheus text rendering; also the interceptor
/// that records them.
public final class MetricsRegistry: ServerInterceptor, Sendable {
    private let methods: Mutex<[String: MethodMetrics]> = Mutex([:])
    private let unknown = MethodMetrics(label: "unknown")
    private let gauges = Mutex<[String: @Sendable () -> Double]>([:])

    /// Creates an empty registry.
    public init() {}

    private func metrics(for path: String, known: Bool) -> MethodMetrics {
        guard known else { return unknown }
        return methods.withLock { table in
            if let existing = table[path] { return existing }
            let created = MethodMetrics(label: path)
            table[path] = created
            return created
        }
    }

    /// Adds a gauge computed at scrape time (e.g. open connections).
    public func addGauge(_ name: String, _ value: @escaping @Sendable () -> Double) {
        gauges.withLock { $0[name] = value }
    }

    /// Counts the call as in flight.
    public func admit(_ context: ServerContext, method: RegisteredMethod) -> RPCError? {
        metrics(for: method.path, known: true).started()
        return nil
    }

    /// Records the finished call.
    public func finished(_ call: FinishedCall) {
        metrics(for: call.path, known: call.method != nil).finished(call, admitted: call.method != nil)
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        var all = methods.withLock { Array($0.values) }
        all.sort { $0.label < $1.label }
        all.append(unknown)
        var text = """
        # HELP fanheat_rpc_server_calls_total Finished server calls by method and status code.
        # TYPE fanheat_rpc_server_calls_total counter

        """
        let snapshots = all.map { ($0.label, $0.snapshot) }
        for (label, values) in snapshots {
            for code in StatusCode.allCases where values.callsByCode[code.rawValue] > 0 {
                text += "fanheat_rpc_server_calls_total{method=\"\(label)\",code=\"\(code.name)\"} \(values.callsByCode[code.rawValue])\n"
            }
        }
        text += "# HELP fanheat_rpc_server_latency_seconds Server call latency from request headers to status.\n"
        text += "# TYPE fanheat_rpc_server_latency_seconds histogram\n"
        for (label, values) in snapshots where values.buckets.reduce(0, +) > 0 {
            var cumulative = 0
            for (index, bound) in MethodMetrics.bucketBounds.enumerated() {
                cumulative += values.buckets[index]
                text += "fanheat_rpc_server_latency_seconds_bucket{method=\"\(label)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            cumulative += values.buckets[MethodMetrics.bucketBounds.count]
            text += "fanheat_rpc_server_latency_seconds_bucket{method=\"\(label)\",le=\"+Inf\"} \(cumulative)\n"
            text += "fanheat_rpc_server_latency_seconds_sum{method=\"\(label)\"} \(values.latencySum)\n"
            text += "fanheat_rpc_server_latency_seconds_count{method=\"\(label)\"} \(cumulative)\n"
        }
        text += "# HELP fanheat_rpc_server_in_flight Calls currently being served.\n# TYPE fanheat_rpc_server_in_flight gauge\n"
        for (label, values) in snapshots where label != "unknown" {
            text += "fanheat_rpc_server_in_flight{method=\"\(label)\"} \(values.inFlight)\n"
        }
        text += "# HELP fanheat_rpc_server_received_bytes_total Request message bytes received.\n"
        text += "# TYPE fanheat_rpc_server_received_bytes_total counter\n"
        for (label, values) in snapshots { text += "fanheat_rpc_server_received_bytes_total{method=\"\(label)\"} \(values.bytesIn)\n" }
        text += "# HELP fanheat_rpc_server_sent_bytes_total Response message bytes sent.\n"
        text += "# TYPE fanheat_rpc_server_sent_bytes_total counter\n"
        for (label, values) in snapshots { text += "fanheat_rpc_server_sent_bytes_total{method=\"\(label)\"} \(values.bytesOut)\n" }
        for (name, value) in gauges.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            text += "# TYPE \(name) gauge\n\(name) \(value())\n"
        }
        return text
    }
}
