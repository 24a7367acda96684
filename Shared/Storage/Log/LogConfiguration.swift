/// Where and how the activity log keeps its segments.
public struct LogConfiguration: Sendable {
    /// The directory holding the segment files (`<data-dir>/log`).
    public var directory: String
    /// A segment is closed and a new one started once it reaches this size (it can exceed
    /// it by one group-commit batch).
    public var segmentBytes: Int = 128 << 20
    /// Whole segments whose newest record is older than this are deleted; nil keeps them.
    public var retentionMilliseconds: Int64?
    /// Oldest whole segments are deleted while the log is larger than this; nil keeps them.
    public var retentionBytes: Int?
    /// Bytes between two entries of a segment's sparse offset index.
    public var indexIntervalBytes: Int = 64 << 10
    /// Synced bytes kept in the kernel's page cache behind the newest write; older written
    /// ranges are dropped from the cache so that new writes reuse their pages (see
    /// `PageCacheTrimmer`). nil leaves the page cache to the kernel.
    public var pageCacheBytes: Int? = 64 << 20
    /// Whether the next segment file is prepared ahead (zero-filled and synced on a
    /// background thread, see `SegmentPreparer`) so that group commits overwrite blocks
    /// instead of growing the file. Costs up to two segments of disk beyond the log.
    public var preallocateSegments = true
    /// The shortest time between the starts of two group commits: when a commit follows
    /// the previous one sooner, the writer first waits out the rest of the interval, so
    /// that records arriving meanwhile share its write and `fdatasync`. Each commit has a
    /// fixed CPU cost (block-layer submission, device notification, completion
    /// interrupt), so under load fewer, larger commits leave more CPU to ingest. A commit
    /// after a quiet spell is never delayed. Zero (the default) commits as soon as anything
    /// is pending: the wait adds latency, which costs throughput whenever the CPU is not
    /// saturated (see the README's "Commit interval").
    public var minimumCommitInterval: Duration = .zero
    /// The interval above applies only after a commit that wrote at least this many bytes
    /// (0: after every commit). A large commit means calls are arriving fast, so waiting
    /// gathers many of them into the next one; after a small commit (a lone client, light
    /// load) the next commit starts at once, with no added latency.
    public var commitIntervalMinimumBytes = 0
    /// Told (on a background thread) when preparing a segment fails, e.g. on a full disk;
    /// the log goes on with growing segments. nil: failures are only counted.
    public var reportPreparationFailure: (@Sendable (String) -> Void)?

    /// Creates a configuration for `directory` with the defaults above.
    public init(directory: String) {
        self.directory = directory
    }
}
