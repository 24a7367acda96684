import FanHeatContracts
import FanHeatProtobuf
import FanHeatRPC
import Synchronization

#if canImport(Glibc)
import Glibc
import FanHeatSync
#endif

/// Monotonic nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Counters and latency histograms of a load run, updated from the event loops.
final class LoadStatistics: Sendable {
    struct Totals {
        var calls: UInt64 = 0
        var okCalls: UInt64 = 0
        var activitiesSent: UInt64 = 0
        var accepted: UInt64 = 0
        var duplicates: UInt64 = 0
        var rejected: UInt64 = 0
        var errors: [String: UInt64] = [:]
        var firstError: String?
        var latency = LatencyHistogram()

        /// Counts one call in place (no copy of the histogram).
        mutating func add(code: StatusCode, message: String, batch: Int, micros: UInt64,
                          accepted: UInt64, duplicates: UInt64, rejected: UInt64) {
            calls += 1
            latency.record(microseconds: micros)
            if code == .ok {
                okCalls += 1
                activitiesSent += UInt64(batch)
                self.accepted += accepted
                self.duplicates += duplicates
                self.rejected += rejected
            } else {
                errors[code.name, default: 0] += 1
                if firstError == nil { firstError = "\(code.name): \(message)" }
            }
        }
    }

    private let state = AdaptiveLock<(total: Totals, interval: Totals)>((Totals(), Totals()))

    /// Records one finished call.
    func record(code: StatusCode, message: String, response: [UInt8]?, batch: Int, latencyNanoseconds: UInt64) {
        var accepted: UInt64 = 0
        var duplicates: UInt64 = 0
        var rejected: UInt64 = 0
        if code == .ok, let response, let counts = ResponseCounts(response) {
            accepted = counts.accepted
            duplicates = counts.duplicates
            rejected = counts.rejections
        }
        let micros = latencyNanoseconds / 1000
        state.withLock { state in
            state.total.add(code: code, message: message, batch: batch, micros: micros,
                            accepted: accepted, duplicates: duplicates, rejected: rejected)
            state.interval.add(code: code, message: message, batch: batch, micros: micros,
                               accepted: accepted, duplicates: duplicates, rejected: rejected)
        }
    }

    /// The totals so far.
    var total: Totals { state.withLock { $0.total } }

    /// The totals since the last call, and resets them.
    func takeInterval() -> Totals {
        state.withLock { state in
            defer { state.interval = Totals() }
            return state.interval
        }
    }
}
