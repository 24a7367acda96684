/// Latencies in microseconds in log-linear buckets (32 per power of two, about 3 %
/// resolution), mergeable and cheap to record.
struct LatencyHistogram {
    private static let subBuckets = 32
    private var counts = [UInt64](repeating: 0, count: 64 * 32)
    private(set) var total: UInt64 = 0
    private(set) var maximum: UInt64 = 0
    private(set) var sum: UInt64 = 0

    private static func bucket(_ value: UInt64) -> Int {
        if value < UInt64(subBuckets) { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount - 5
        return exponent * subBuckets + Int(value >> UInt64(exponent))
    }

    private static func lowerBound(_ bucket: Int) -> UInt64 {
        if bucket < subBuckets { return UInt64(bucket) }
        let exponent = bucket / subBuckets - 1
        let mantissa = bucket % subBuckets + subBuckets
        return UInt64(mantissa) << UInt64(exponent)
    }

    mutating func record(microseconds: UInt64) {
        counts[Self.bucket(microseconds)] += 1
        total += 1
        sum += microseconds
        maximum = max(maximum, microseconds)
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        total += other.total
        sum += other.sum
        maximum = max(maximum, other.maximum)
    }

    /// The latency at quantile `q` (0…1), in microseconds.
    func percentile(_ q: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = UInt64((Double(total) * q).rounded(.up))
        var seen: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= max(rank, 1) { return min(Self.lowerBound(index + 1), maximum) }
        }
        return maximum
    }

    var mean: Double { total == 0 ? 0 : Double(sum) / Double(total) }
}
