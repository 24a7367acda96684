#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import FanHeatSync

/// The durable, append-only activity log: checksummed records with dense offsets in
/// segment files, made durable by group commit.
///
/// Appenders copy framed records into a shared pending buffer under a short lock; one
/// writer thread takes the whole buffer, writes it and calls `fdatasync` once, then
/// completes every waiter the sync covered, so concurrent callers share one sync.
/// Readers only ever see records below ``durableEnd``.
public final class ActivityLog: @unchecked Sendable {
    /// The configuration the log was opened with.
    public let configuration: LogConfiguration
    let clock: @Sendable () -> Int64

    // Append state, guarded by `appendLock`.
    let appendLock = ConditionLock()
    var pending = PendingBytes(capacity: 1 << 20)
    var pendingWaiters: [DurabilityWaiter] = []
    var nextOffset: UInt64
    var pendingFirstOffset: UInt64
    var failure: LogError?
    var closing = false
    var writerFinished = false

    // Durable state.
    let durable: Atomic<UInt64>
    let earliest: Atomic<UInt64>
    /// Completed group commits (see ``groupCommits``).
    let syncs = Atomic<UInt64>(0)

    // Segments, guarded by `segmentLock` (the writer is the only one that mutates them).
    let segmentLock = AdaptiveLock<Void>(())
    nonisolated(unsafe) var segments: [LogSegment]

    /// Prepares the next segment file ahead (nil when preallocation is off).
    let preparer: SegmentPreparer?

    // Subscribers waiting for new durable records.
    let tailWaiters = Mutex<TailWaiters>(TailWaiters())

    struct TailWaiters {
        var nextIdentifier = 0
        var waiting: [Int: (after: UInt64, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    /// Opens the log in `configuration.directory`, creating it if needed, recovering the
    /// tail (a torn last record is truncated) and calling `visit` for every stored record
    /// in order, so callers can rebuild their indexes. Starts the writer thread.
    public init(
        configuration: LogConfiguration,
        clock: @escaping @Sendable () -> Int64 = { LogClock.nowMilliseconds() },
        visit: (LogRecordView) -> Void = { _ in }
    ) throws(LogError) {
        self.configuration = configuration
        self.clock = clock
        let recovered = try Self.recover(configuration: configuration, visit: visit)
        segments = recovered
        let end = recovered.last!.endOffset
        nextOffset = end
        pendingFirstOffset = end
        durable = Atomic(end)
        earliest = Atomic(recovered.first!.baseOffset)
        pendingWaiters.reserveCapacity(1024)
        preparer = configuration.preallocateSegments
            ? SegmentPreparer(directory: configuration.directory, bytes: configuration.segmentBytes,
                              report: configuration.reportPreparationFailure) : nil
        preparer?.prepare()
        startWriter()
    }

    /// The offset after the last durable record: the next offset the log will assign once
    /// everything pending is synced.
    public var durableEnd: UInt64 { durable.load(ordering: .acquiring) }

    /// How many group commits (write + fdatasync) the writer has completed since the log
    /// was opened; records appended ÷ this is the average number of records per fdatasync.
    public var groupCommits: UInt64 { syncs.load(ordering: .relaxed) }

    /// The first offset still retained (earlier segments were deleted by retention).
    public var earliestOffset: UInt64 { earliest.load(ordering: .acquiring) }

    /// The offset the next appended record will get.
    public var appendedEnd: UInt64 { appendLock.withLock { nextOffset } }

    /// Whether a prepared next segment file is waiting to be used (for tests and metrics).
    public var nextSegmentIsPrepared: Bool { preparer?.isReady ?? false }

    /// How many times preparing a segment failed since the log was opened.
    public var segmentPreparationFailures: Int { preparer?.failureCount ?? 0 }

    /// Total bytes of the segment files.
    public var totalBytes: Int { segmentLock.withLock { _ in segments.reduce(0) { $0 + $1.size } } }

    /// The number of segment files.
    public var segmentCount: Int { segmentLock.withLock { _ in segments.count } }

    /// Appends records under the append lock: `body` receives an appender; records it adds
    /// get consecutive offsets and become durable together with the next group commit.
    /// Returns `body`'s result and the log's appended end after it ran.
    public func withAppender<Result>(_ body: (inout LogAppender) throws(LogError) -> Result) throws(LogError) -> (Result, end: UInt64) {
        appendLock.lock()
        defer { appendLock.unlock() }
        if let failure { throw failure }
        if closing { throw LogError("the activity log is closed") }
        // The writer waits only while nothing is pending, so only the append that makes
        // the pending buffer non-empty has to wake it (one futex wake per commit cycle,
        // not one per call).
        let wasIdle = pending.isEmpty && pendingWaiters.isEmpty
        let wasEmpty = pending.isEmpty
        let firstOffset = nextOffset
        var appender = LogAppender(log: self, ingestedAt: clock(), firstOffset: firstOffset, room: pending.reserve(0))
        // The appender keeps its cursor and next offset to itself; they are stored back here
        // once, not per record (also when `body` throws: what it appended stays pending).
        defer {
            pending.extend(by: appender.unrecordedBytes)
            nextOffset = appender.nextOffset
            if wasEmpty && appender.appended > 0 { pendingFirstOffset = firstOffset }
            if appender.appended > 0 && wasIdle { appendLock.signal() }
        }
        let result = try body(&appender)
        return (result, appender.nextOffset)
    }

    /// Calls `completion` once every record below `end` is durable (at once, on this
    /// thread, if it already is), or with the error that stopped the log.
    public func whenDurable(through end: UInt64, _ completion: @escaping @Sendable (LogError?) -> Void) {
        if durable.load(ordering: .acquiring) >= end {
            completion(nil)
            return
        }
        appendLock.lock()
        if let failure {
            appendLock.unlock()
            completion(failure)
            return
        }
        if durable.load(ordering: .acquiring) >= end {
            appendLock.unlock()
            completion(nil)
            return
        }
        let wasIdle = pending.isEmpty && pendingWaiters.isEmpty
        pendingWaiters.append(DurabilityWaiter(end: end, completion: completion))
        if wasIdle { appendLock.signal() }
        appendLock.unlock()
    }

    /// Waits until every record below `end` is durable; throws the error that stopped the log.
    public func waitUntilDurable(through end: UInt64) async throws(LogError) {
        let failure: LogError? = await withCheckedContinuation { continuation in
            whenDurable(through: end) { continuation.resume(returning: $0) }
        }
        if let failure { throw failure }
    }

    /// Syncs what is pending, stops the writer thread and fails later appends.
    public func close() {
        appendLock.lock()
        closing = true
        appendLock.signal()
        while !writerFinished { appendLock.wait() }
        appendLock.unlock()
        preparer?.close()
        wakeTailWaiters(force: true)
    }
}

/// A call waiting until every record below `end` is durable.
struct DurabilityWaiter {
    /// The durable end the call needs.
    let end: UInt64
    /// Called once with nil (durable) or the error that stopped the log.
    let completion: @Sendable (LogError?) -> Void
}

/// The wall clock used for ingested-at stamps.
public enum LogClock {
    /// Milliseconds since the Unix epoch.
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
