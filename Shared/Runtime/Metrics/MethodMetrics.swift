import FanHeatRPC
import Synchronization

/// Per-method server metrics: calls by status code, a latency histogram, in-flight
/// calls and message bytes in and out.
final class MethodMetrics: Sendable {
    /// Latency bucket upper bounds in seconds.
    static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Values {
        var callsByCode = [Int](repeating: 0, count: 17)
        var buckets = [Int](repeating: 0, count: MethodMetrics.bucketBounds.count + 1)
        var latencySum = 0.0
        var inFlight = 0
        var bytesIn = 0
        var bytesOut = 0
    }

    /// The method label (`/service/method`, or `unknown`).
    let label: String
    private let values = Mutex(Values())

    init(label: String) { self.label = label }

    func started() { values.withLock { $0.inFlight += 1 } }

    func finished(_ call: FinishedCall, admitted: Bool) {
        let seconds = Double(call.duration.components.seconds) + Double(call.duration.components.attoseconds) / 1e18
        var bucket = Self.bucketBounds.count
        for (index, bound) in Self.bucketBounds.enumerated() where seconds <= bound {
            bucket = index
            break
        }
        values.withLock { values in
            values.callsByCode[call.code.rawValue] += 1
            values.buckets[bucket] += 1
            values.latencySum += seconds
            values.bytesIn += call.requestBytes
            values.bytesOut += call.responseBytes
            if admitted { values.inFlight -= 1 }
        }
    }

    var snapshot: Values { values.withLock { $0 } }
}
