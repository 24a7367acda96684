/// Draws ranks 0..<n with probability proportional to 1/(rank+1)^s (a few members do
/// most of the activity, as in real fan clubs), by binary search over the CDF.
struct ZipfSampler {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var running = 0.0
        var cumulative = [Double](repeating: 0, count: count)
        for rank in 0..<count {
            running += 1 / pow(Double(rank + 1), exponent)
            cumulative[rank] = running
        }
        self.cumulative = cumulative.map { $0 / running }
    }

    func sample(_ random: inout SplitMix) -> Int {
        let target = random.nextUnit()
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A uniform integer in `range`.
    mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}

#if canImport(Glibc)
import Glibc
#endif
