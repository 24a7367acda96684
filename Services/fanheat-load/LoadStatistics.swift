import FanHeatContracts
import FanHeatProtobuf
import FanHeatRPC
import Synchronization

#if canImport(Glibc)
import Glibc
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
    }

    private let state = Mutex<(total: Totals, interval: Totals)>((Totals(), Totals()))

    /// Records one finished call.
    func record(code: StatusCode, message: String, response: [UInt8]?, batch: Int, latencyNanoseconds: UInt64) {
        var accepted: UInt64 = 0
        var duplicates: UInt64 = 0
        var rejected: UInt64 = 0
        if code == .ok, let response, let decoded = try? Fanheat_Ingest_V1_IngestResponse(serializedBytes: response) {
            accepted = UInt64(decoded.accepted)
            duplicates = UInt64(decoded.duplicates)
            rejected = UInt64(decoded.rejections.count)
        }
        let micros = latencyNanoseconds / 1000
        state.withLock { state in
            for index in 0..<2 {
                var totals = index == 0 ? state.total : state.interval
                totals.calls += 1
                totals.latency.record(microseconds: micros)
                if code == .ok {
                    totals.okCalls += 1
                    totals.activitiesSent += UInt64(batch)
                    totals.accepted += accepted
                    totals.duplicates += duplicates
                    totals.rejected += rejected
                } else {
                    totals.errors[code.name, default: 0] += 1
                    if totals.firstError == nil { totals.firstError = "\(code.name): \(message)" }
                }
                if index == 0 { state.total = totals } else { state.interval = totals }
            }
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
