import FanHeatRPC
import Glibc
import Synchronization
import FanHeatSync

/// The server's metrics and their Prometheus text rendering; also the interceptor
/// that records them.
///
/// Counters live in shards picked by the calling thread (each event loop thread mostly
/// has a shard to itself, so loops do not contend on one lock or bounce one cache line),
/// and in each shard in an array indexed by ``RegisteredMethod/serial`` (no hashing of
/// the path per call). Rendering sums the shards.
public final class MetricsRegistry: ServerInterceptor, Sendable {
    private static let shardCount = 16
    private let shards: [ShardBox] = (0..<MetricsRegistry.shardCount).map { _ in ShardBox() }
    private let gauges = Mutex<[String: @Sendable () -> Double]>([:])

    /// One shard's lock, padded so two shards do not share a cache line.
    private final class ShardBox: Sendable {
        let state = AdaptiveLock(Shard())
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    }

    fileprivate struct Shard {
        var methods: [MethodMetrics?] = []
        var unknown = MethodMetrics(label: "unknown")

        mutating func withMethod<T>(_ method: RegisteredMethod, _ body: (inout MethodMetrics) -> T) -> T {
            if method.serial >= methods.count {
                methods.append(contentsOf: repeatElement(nil, count: method.serial + 1 - methods.count))
            }
            if methods[method.serial] == nil { methods[method.serial] = MethodMetrics(label: method.path) }
            return body(&methods[method.serial]!)
        }
    }

    /// Creates an empty registry.
    public init() {}

    private var shard: ShardBox {
        let thread = UInt(bitPattern: Int(bitPattern: pthread_self()))
        let mixed = (thread >> 12) ^ (thread >> 21) ^ (thread >> 30)
        return shards[Int(mixed % UInt(Self.shardCount))]
    }

    /// Adds a gauge computed at scrape time (e.g. open connections).
    public func addGauge(_ name: String, _ value: @escaping @Sendable () -> Double) {
        gauges.withLock { $0[name] = value }
    }

    /// Counts the call as in flight.
    public func admit(_ context: ServerContext, method: RegisteredMethod) -> RPCError? {
        shard.state.withLock { $0.withMethod(method) { $0.inFlight += 1 } }
        return nil
    }

    /// Records the finished call.
    public func finished(_ call: FinishedCall) {
        // only scalars and the method reference go under the lock (no copy of the record)
        let (wholeSeconds, attoseconds) = call.duration.components
        let seconds = Double(wholeSeconds) + Double(attoseconds) / 1e18
        let sample = MethodMetrics.Sample(code: call.code.rawValue, seconds: seconds,
                                          bucket: MethodMetrics.bucket(forSeconds: seconds),
                                          bytesIn: call.requestBytes, bytesOut: call.responseBytes)
        let method = call.method
        shard.state.withLock { shard in
            if let method {
                shard.withMethod(method) { $0.record(sample, admitted: true) }
            } else {
                shard.unknown.record(sample, admitted: false)
            }
        }
    }

    /// Every method's counters summed over the shards, by label, sorted, `unknown` last.
    private func snapshot() -> [(String, MethodMetrics)] {
        var byLabel: [String: MethodMetrics] = [:]
        var unknown = MethodMetrics(label: "unknown")
        for shard in shards {
            shard.state.withLock { shard in
                for case let metrics? in shard.methods { byLabel[metrics.label, default: MethodMetrics(label: metrics.label)].merge(metrics) }
                unknown.merge(shard.unknown)
            }
        }
        return byLabel.sorted { $0.key < $1.key } + [("unknown", unknown)]
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        var text = """
        # HELP fanheat_rpc_server_calls_total Finished server calls by method and status code.
        # TYPE fanheat_rpc_server_calls_total counter

        """
        let snapshots = snapshot()
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
