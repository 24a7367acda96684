import Dispatch
import FanHeatRPC
import FanHeatTransport
import Synchronization

/// Drives Ingest calls with the runtime's low-level callback client: `concurrency` lanes,
/// each starting its next call from the previous call's completion (closed loop), or at
/// scheduled times when a target rate is set (open loop; latency then counts from the
/// scheduled start, so queueing delay is not hidden).
final class LoadDriver: Sendable {
    private let channel: HTTP2ClientChannel
    private let generator: WorkloadGenerator
    private let statistics: LoadStatistics
    private let concurrency: Int
    private let count: Int?
    private let deadline: UInt64?
    private let rate: Double
    private let timeout: Duration
    private let heads: [PreparedCallHead]
    private let issued = Atomic<Int>(0)
    private let activeLanes: Atomic<Int>
    private let finished = DispatchSemaphore(value: 0)
    private let startedAt: UInt64
    static let path = "/fanheat.ingest.v1.ActivityIngest/Ingest"

    init(channel: HTTP2ClientChannel, generator: WorkloadGenerator, statistics: LoadStatistics, options: LoadOptions) {
        self.channel = channel
        self.generator = generator
        self.statistics = statistics
        concurrency = options.concurrency
        count = options.count
        rate = options.rate
        timeout = .milliseconds(Int64(options.timeoutSeconds * 1000))
        let start = monotonicNanoseconds()
        startedAt = start
        deadline = options.durationSeconds.map { start + UInt64($0 * 1e9) }
        let timeout = self.timeout
        heads = generator.clubs.map { club in
            var metadata = Metadata()
            metadata.addString("Bearer \(club.apiKey)", forKey: "authorization")
            return channel.prepareCall(path: Self.path, metadata: metadata, timeout: timeout)
        }
        activeLanes = Atomic(options.concurrency)
    }

    /// Starts every lane and blocks until all have stopped (count or duration reached).
    func run() {
        for lane in 0..<concurrency { issue(lane: lane) }
        finished.wait()
    }

    private func issue(lane: Int) {
        let sequence = issued.add(1, ordering: .relaxed).oldValue
        let now = monotonicNanoseconds()
        if let count, sequence >= count { return laneStopped() }
        if let deadline, now >= deadline { return laneStopped() }
        if rate > 0 {
            let scheduled = startedAt + UInt64(Double(sequence) / rate * 1e9)
            if let deadline, scheduled >= deadline { return laneStopped() }
            if scheduled > now {
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(scheduled - now))) { [self] in
                    send(lane: lane, sequence: sequence, start: scheduled)
                }
                return
            }
            return send(lane: lane, sequence: sequence, start: scheduled)
        }
        send(lane: lane, sequence: sequence, start: now)
    }

    private func send(lane: Int, sequence: Int, start: UInt64) {
        let (body, _) = generator.nextBody(lane: lane, sequence: sequence)
        let batch = generator.batch
        // A lane keeps to the connection its first call went to: the next call starts on the
        // loop thread that ran the completion, without waking another thread.
        channel.startUnaryCall(heads[lane % heads.count], requestBytes: body, stayOnCurrentLoop: true) { [self] result in
            let elapsed = monotonicNanoseconds() &- start
            statistics.record(code: result.status.code, message: result.status.message, response: result.response,
                              batch: batch, latencyNanoseconds: elapsed)
            issue(lane: lane)
        }
    }

    private func laneStopped() {
        if activeLanes.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { finished.signal() }
    }

    /// Seconds since the driver was created.
    var elapsedSeconds: Double { Double(monotonicNanoseconds() - startedAt) / 1e9 }
}
