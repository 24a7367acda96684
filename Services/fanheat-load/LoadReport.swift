import Foundation

/// Formats progress lines and the final summary (text or JSON).
enum LoadReport {
    static func milliseconds(_ micros: UInt64) -> String { String(format: "%.2f ms", Double(micros) / 1000) }

    static func progressLine(elapsed: Double, interval: LoadStatistics.Totals, seconds: Double, total: LoadStatistics.Totals) -> String {
        let calls = Double(interval.calls) / seconds
        let activities = Double(interval.activitiesSent) / seconds
        let errors = total.errors.values.reduce(0, +)
        return String(format: "[%5.1fs] %9.0f calls/s %11.0f activities/s  p50 %@  p99 %@  errors %llu",
                      elapsed, calls, activities, milliseconds(interval.latency.percentile(0.5)),
                      milliseconds(interval.latency.percentile(0.99)), errors)
    }

    static func summary(_ totals: LoadStatistics.Totals, seconds: Double, options: LoadOptions, clubs: [String]) -> [String: Any] {
        let latency = totals.latency
        return [
            "target": options.ingestAddress,
            "clubs": clubs,
            "members_per_club": options.members,
            "batch": options.batch,
            "concurrency": options.concurrency,
            "connections": options.connections,
            "rate_target_calls_per_second": options.rate,
            "seconds": (seconds * 1000).rounded() / 1000,
            "calls": totals.calls,
            "ok_calls": totals.okCalls,
            "calls_per_second": (Double(totals.okCalls) / seconds).rounded(),
            "activities_sent": totals.activitiesSent,
            "activities_per_second": (Double(totals.activitiesSent) / seconds).rounded(),
            "accepted": totals.accepted,
            "duplicates": totals.duplicates,
            "rejected": totals.rejected,
            "errors": totals.errors,
            "first_error": totals.firstError ?? "",
            "latency_ms": [
                "mean": latency.mean / 1000,
                "p50": Double(latency.percentile(0.5)) / 1000,
                "p90": Double(latency.percentile(0.9)) / 1000,
                "p99": Double(latency.percentile(0.99)) / 1000,
                "p99_9": Double(latency.percentile(0.999)) / 1000,
                "max": Double(latency.maximum) / 1000,
            ],
        ]
    }

    static func text(_ totals: LoadStatistics.Totals, seconds: Double, options: LoadOptions) -> String {
        let latency = totals.latency
        var lines = [
            "fanheat-load: \(totals.calls) calls in \(String(format: "%.2f", seconds)) s against \(options.ingestAddress) (batch \(options.batch), concurrency \(options.concurrency), connections \(options.connections))",
            String(format: "  throughput  %.0f calls/s, %.0f activities/s", Double(totals.okCalls) / seconds, Double(totals.activitiesSent) / seconds),
            "  activities  \(totals.accepted) accepted, \(totals.duplicates) duplicates, \(totals.rejected) rejected",
            "  latency     p50 \(milliseconds(latency.percentile(0.5)))  p90 \(milliseconds(latency.percentile(0.9)))  p99 \(milliseconds(latency.percentile(0.99)))  p99.9 \(milliseconds(latency.percentile(0.999)))  max \(milliseconds(latency.maximum))",
        ]
        if totals.errors.isEmpty {
            lines.append("  errors      none")
        } else {
            lines.append("  errors      " + totals.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            if let first = totals.firstError { lines.append("  first error \(first)") }
        }
        return lines.joined(separator: "\n")
    }
}
