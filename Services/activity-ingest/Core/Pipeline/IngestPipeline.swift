import FanHeatRPC
import FanHeatStorage
import Synchronization

/// Validates, deduplicates and appends activities to the durable log: the ingest hot
/// path, working on request wire bytes in place.
public final class IngestPipeline: Sendable {
    /// The durable log.
    public let log: ActivityLog
    /// The validator (and limits) applied to each activity.
    public let validator: ActivityValidator
    private let recent: Mutex<RecentKeyIndex>
    private let clock: @Sendable () -> Int64
    /// How long (club_id, event_id) pairs are remembered, in seconds.
    public let windowSeconds: Int64

    /// Opens (recovers) the log and rebuilds the idempotency index from the records
    /// ingested within the window.
    public init(
        log configuration: LogConfiguration,
        windowSeconds: Int64 = 7 * 86400,
        limits: ActivityLimits = ActivityLimits(),
        clock: @escaping @Sendable () -> Int64 = { LogClock.nowMilliseconds() }
    ) throws(LogError) {
        var index = RecentKeyIndex(windowSeconds: windowSeconds)
        let now = clock()
        let nowStamp = RecentKeyIndex.stamp(forMilliseconds: now)
        let oldest = now - windowSeconds * 1000
        log = try ActivityLog(configuration: configuration, clock: clock) { record in
            if record.ingestedAt >= oldest {
                _ = index.insert(record.key, stamp: RecentKeyIndex.stamp(forMilliseconds: record.ingestedAt), now: nowStamp)
            }
        }
        recent = Mutex(index)
        validator = ActivityValidator(limits: limits)
        self.clock = clock
        self.windowSeconds = windowSeconds
    }

    /// How many idempotency keys are remembered and the bytes their table occupies.
    public var rememberedKeys: (count: Int, bytes: Int) { recent.withLock { ($0.count, $0.memoryBytes) } }

    /// Processes one `IngestRequest` (wire bytes) for `scope`, adding its outcome to
    /// `summary` (rejection indexes continue from `summary.activitiesSeen`). Returns the
    /// error that fails the whole call: a malformed request, a batch over the limit, an
    /// activity of another club, a membership cache not yet loaded, or a stopped log.
    /// Wait for ``ActivityLog/whenDurable(through:_:)`` with `summary.durableTarget`
    /// before answering.
    public func ingest(_ request: UnsafeRawBufferPointer, scope: IngestScope, into summary: inout IngestSummary) -> RPCError? {
        var activities: [Range<Int>] = []
        var scanner = WireScanner(request)
        let limit = validator.limits.maxActivitiesPerRequest
        do throws(WireScanner.Malformed) {
            while !scanner.isAtEnd {
                let (field, type) = try scanner.readTag()
                if field == 1 {
                    guard type == .lengthDelimited else {
                        return RPCError(code: .invalidArgument, message: "IngestRequest.activities: wrong wire type")
                    }
                    let range = try scanner.readLengthDelimited()
                    if activities.isEmpty { activities.reserveCapacity(min(limit, 128)) }
                    activities.append(range)
                } else {
                    try scanner.skip(type)
                }
            }
        } catch {
            return RPCError(code: .invalidArgument, message: "request is not a valid IngestRequest: \(error.reason)")
        }
        if activities.count > limit {
            return RPCError(code: .invalidArgument,
                            message: "IngestRequest carries \(activities.count) activities; the limit is \(limit) per request")
        }
        let now = clock()
        let firstIndex = summary.activitiesSeen
        var candidates: [Candidate] = []
        candidates.reserveCapacity(activities.count)
        var rejections: [(index: UInt32, reason: String)] = []
        let failure: RPCError? = withMembers(scope) { members in
            for (position, range) in activities.enumerated() {
                let index = firstIndex + UInt32(position)
                let bytes = UnsafeRawBufferPointer(rebasing: request[range])
                switch validator.validate(bytes, now: now) {
                case .failure(let rejection):
                    rejections.append((index, rejection.reason))
                case .success(let scanned):
                    let club = UnsafeRawBufferPointer(rebasing: bytes[scanned.clubID])
                    if let owned = scope.clubID, !club.elementsEqual(owned) {
                        return RPCError(code: .permissionDenied, message: "activity \(index) has club_id \"\(ActivityValidator.printable(club))\" but the API key belongs to club \"\(scope.clubName)\"")
                    }
                    let member = UnsafeRawBufferPointer(rebasing: bytes[scanned.memberID])
                    if let members, !members.contains(member) {
                        rejections.append((index, "member_id: \"\(ActivityValidator.printable(member))\" is not an active member of club \"\(scope.clubName)\""))
                        continue
                    }
                    let key = KeyFingerprint(parts: club, UnsafeRawBufferPointer(rebasing: bytes[scanned.eventID]))
                    candidates.append(Candidate(range: range, key: key, checksum: CRC32C.checksum(bytes)))
                }
            }
            return nil
        }
        if let failure { return failure }
        summary.activitiesSeen = firstIndex + UInt32(activities.count)
        summary.rejections += rejections
        let stamp = RecentKeyIndex.stamp(forMilliseconds: now)
        var accepted: UInt32 = 0
        var duplicates: UInt32 = 0
        var lastOffset: UInt64?
        do throws(LogError) {
            let (_, end) = try recent.withLock { (index: inout RecentKeyIndex) throws(LogError) in
                try log.withAppender { (appender: inout LogAppender) in
                    for candidate in candidates {
                        if index.insert(candidate.key, stamp: stamp, now: stamp) {
                            lastOffset = appender.append(
                                payload: UnsafeRawBufferPointer(rebasing: request[candidate.range]),
                                payloadChecksum: candidate.checksum, key: candidate.key)
                            accepted += 1
                        } else {
                            duplicates += 1
                        }
                    }
                }
            }
            summary.durableTarget = max(summary.durableTarget, end)
        } catch {
            return RPCError(code: .unavailable, message: "the activity log stopped: \(error.description)")
        }
        summary.accepted += accepted
        summary.duplicates += duplicates
        if let lastOffset { summary.lastOffset = lastOffset }
        return nil
    }

    private func withMembers(_ scope: IngestScope, _ body: (ActiveMembers?) -> RPCError?) -> RPCError? {
        guard let directory = scope.members, let club = scope.clubID else { return body(nil) }
        guard directory.isReady else {
            return RPCError(code: .unavailable, message: "the membership cache is still loading from identity; retry shortly")
        }
        let clubKey = club.withUnsafeBytes { KeyFingerprint($0) }
        return directory.withClub(clubKey) { members in body(members) }
    }

    private struct Candidate {
        let range: Range<Int>
        let key: KeyFingerprint
        let checksum: UInt32
    }
}
