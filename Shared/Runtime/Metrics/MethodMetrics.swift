import FanHeatRPC

/// The counters of one method (or of unknown paths): calls by status code, a latency
/// histogram, in-flight calls and message bytes in and out. A plain value: the registry
/// keeps one per method in each of its shards and sums them when rendering.
struct MethodMetrics {
    /// Latency bucket upper bounds in seconds.
    static let bucketBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The method label (`/service/method`, or `unknown`).
    let label: String
    var callsByCode = [Int](repeating: 0, count: 17)
    var buckets = [Int](repeating: 0, count: MethodMetrics.bucketBounds.count + 1)
    var latencySum = 0.0
    var inFlight = 0
    var bytesIn = 0
    var bytesOut = 0

    init(label: String) { self.label = label }

    /// One finished call's figures.
    struct Sample {
        var code: Int
        var seconds: Double
        var bucket: Int
        var bytesIn: Int
        var bytesOut: Int
    }

    /// Records a finished call (and ends its in-flight count if it was admitted).
    mutating func record(_ sample: Sample, admitted: Bool) {
        callsByCode[sample.code] += 1
        buckets[sample.bucket] += 1
        latencySum += sample.seconds
        bytesIn += sample.bytesIn
        bytesOut += sample.bytesOut
        if admitted { inFlight -= 1 }
    }

    /// Adds `other`'s counters (same label) into these.
    mutating func merge(_ other: MethodMetrics) {
        for index in callsByCode.indices { callsByCode[index] += other.callsByCode[index] }
        for index in buckets.indices { buckets[index] += other.buckets[index] }
        latencySum += other.latencySum
        inFlight += other.inFlight
        bytesIn += other.bytesIn
        bytesOut += other.bytesOut
    }

    /// The histogram bucket of a latency.
    static func bucket(forSeconds seconds: Double) -> Int {
        for (index, bound) in bucketBounds.enumerated() where seconds <= bound { return index }
        return bucketBounds.count
    }
}
