import FanHeatStorage

/// The activity-ingest options beyond the common host flags, parsed from text.
public struct IngestSettings: Sendable {
    /// `identity` (production) or `none` (development only).
    public var authMode = "identity"
    /// How long (club_id, event_id) pairs are remembered.
    public var idempotencyWindowSeconds: Int64 = 7 * 86400
    /// Retention by age (nil keeps every segment).
    public var retentionSeconds: Int64?
    /// Retention by total size (nil: unbounded).
    public var retentionBytes: Int?
    /// Segment size.
    public var segmentBytes = 128 << 20
    /// Newest synced log bytes left in the page cache (nil: the kernel decides).
    public var pageCacheBytes: Int? = 64 << 20
    /// Whether the next log segment is prepared (zero-filled) ahead of use.
    public var preallocateSegments = true
    /// The shortest time between two group commits' starts (zero: commit at once).
    public var minimumCommitInterval: Duration = .zero
    /// The interval applies only after a commit of at least this many bytes (0: always).
    public var commitIntervalMinimumBytes = 0
    /// `--log-commit-interval auto`: 500 µs between commit starts, but only after a commit
    /// of at least 32 KiB. Measured at batch 100 with 128 calls in flight: ~4,000
    /// commits/s without it, each with a fixed CPU cost (submission, device notification,
    /// completion interrupt, writer wakeups); with it 2.69–3.00M → 3.10–3.21M activities/s
    /// in session 8, p99 13–15 ms either way, a gain session 9 did not reproduce (within
    /// the run-to-run spread). A lone client's commits stay small and are never delayed,
    /// but a few busy clients (16–32 batch-100 calls in flight) lost 10–20% of their
    /// throughput to the wait, so it is not the default.
    public static let automaticCommitInterval: Duration = .microseconds(500)
    /// See ``automaticCommitInterval``.
    public static let automaticCommitMinimumBytes = 32 << 10
    /// Keys the idempotency index is sized for up front (0: it starts small and grows).
    public var expectedKeys = 0
    /// How long a verified key is trusted (revocation takes effect within it).
    public var keyCacheSeconds: Int64 = 30
    /// Most activities per Ingest request.
    public var maxBatch = 1000

    /// The defaults.
    public init() {}

    /// Parses a duration: `90`, `90s`, `15m`, `12h`, `7d`.
    public static func seconds(_ text: String) -> Int64? {
        let units: [(Character, Int64)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        if let last = text.last, let factor = units.first(where: { $0.0 == last })?.1 {
            return Int64(text.dropLast()).flatMap { $0 > 0 ? Self.product($0, factor) : nil }
        }
        return Int64(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Parses a short interval: `0`, `250us`, `1ms`, `2s` (at most 10 s).
    public static func interval(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("us", 1), ("ms", 1000), ("s", 1_000_000)]
        if text == "0" { return .zero }
        guard let (suffix, factor) = units.first(where: { text.hasSuffix($0.0) }),
              let number = Int64(text.dropLast(suffix.count)), number >= 0,
              let microseconds = Self.product(number, factor), microseconds <= 10_000_000 else { return nil }
        return .microseconds(microseconds)
    }

    /// `number × factor`, or nil when it overflows (a huge value is a bad value, not a crash).
    private static func product<Number: FixedWidthInteger>(_ number: Number, _ factor: Number) -> Number? {
        let (result, overflow) = number.multipliedReportingOverflow(by: factor)
        return overflow ? nil : result
    }

    /// Parses a count: `0`, `250000`, `500k`, `64m`, `1g` (decimal: k = 1,000).
    public static func count(_ text: String) -> Int? {
        let units: [(Character, Int)] = [("k", 1_000), ("m", 1_000_000), ("g", 1_000_000_000)]
        if let last = text.lowercased().last, let factor = units.first(where: { $0.0 == last })?.1 {
            return Int(text.dropLast()).flatMap { $0 >= 0 ? Self.product($0, factor) : nil }
        }
        return Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Parses a size: `1048576`, `512k`, `64m`, `10g`.
    public static func bytes(_ text: String) -> Int? {
        let units: [(Character, Int)] = [("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30)]
        if let last = text.lowercased().last, let factor = units.first(where: { $0.0 == last })?.1 {
            return Int(text.dropLast()).flatMap { $0 > 0 ? Self.product($0, factor) : nil }
        }
        return Int(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
