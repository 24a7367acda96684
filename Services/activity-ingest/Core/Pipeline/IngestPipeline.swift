#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FanHeatRPC
import FanHeatStorage
import Synchronization
import FanHeatSync

/// Validates, deduplicates and appends activities to the durable log: the ingest hot
/// path, working on request wire bytes in place.
public final class IngestPipeline: Sendable {
    /// The durable log.
    public let log: ActivityLog
    /// The validator (and limits) applied to each activity.
    public let validator: ActivityValidator
    private let recent: AdaptiveLock<RecentKeyIndex>
    private let clock: @Sendable () -> Int64
    /// How long (club_id, event_id) pairs are remembered, in seconds.
    public let windowSeconds: Int64

    /// Opens (recovers) the log and rebuilds the idempotency index from the records
    /// ingested within the window. With `expectedKeys`, the index is sized up front to
    /// remember that many keys without growing (``RecentKeyIndex/capacity(forExpectedKeys:)``).
    public init(
        log configuration: LogConfiguration,
        windowSeconds: Int64 = 7 * 86400,
        expectedKeys: Int = 0,
        limits: ActivityLimits = ActivityLimits(),
        clock: @escaping @Sendable () -> Int64 = { LogClock.nowMilliseconds() }
    ) throws(LogError) {
        var index = RecentKeyIndex(windowSeconds: windowSeconds,
                                   initialCapacity: RecentKeyIndex.capacity(forExpectedKeys: expectedKeys))
        let now = clock()
        let nowStamp = RecentKeyIndex.stamp(forMilliseconds: now)
        let oldest = now - windowSeconds * 1000
        log = try ActivityLog(configuration: configuration, clock: clock) { record in
            if record.ingestedAt >= oldest {
                _ = index.insert(record.key, stamp: RecentKeyIndex.stamp(forMilliseconds: record.ingestedAt), now: nowStamp)
            }
        }
        recent = AdaptiveLock(index)
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
        // Pass 1: check the framing and count the activities (nothing is stored yet).
        let limit = validator.limits.maxActivitiesPerRequest
        var count = 0
        var scanner = WireScanner(request)
        do throws(WireScanner.Malformed) {
            while !scanner.isAtEnd {
                let (field, type) = try scanner.readTag()
                if field == 1 {
                    guard type == .lengthDelimited else {
                        return RPCError(code: .invalidArgument, message: "IngestRequest.activities: wrong wire type")
                    }
                    _ = try scanner.readLengthDelimited()
                    count += 1
                } else {
                    try scanner.skip(type)
                }
            }
        } catch {
            return RPCError(code: .invalidArgument, message: "request is not a valid IngestRequest: \(error.reason)")
        }
        if count > limit {
            return RPCError(code: .invalidArgument,
                            message: "IngestRequest carries \(count) activities; the limit is \(limit) per request")
        }
        // Pass 2: validate in place into a stack buffer of candidates, then dedup and append.
        return withUnsafeTemporaryAllocation(of: Candidate.self, capacity: max(count, 1)) { candidates in
            ingest(request, count: count, scope: scope, candidates: candidates, into: &summary)
        }
    }

    private func ingest(_ request: UnsafeRawBufferPointer, count: Int, scope: IngestScope,
                        candidates: UnsafeMutableBufferPointer<Candidate>, into summary: inout IngestSummary) -> RPCError? {
        let now = clock()
        let firstIndex = summary.activitiesSeen
        var candidateCount = 0
        var rejections: [(index: UInt32, reason: String)] = []
        let failure: RPCError? = withMembers(scope) { members in
            var scanner = WireScanner(request)
            var position: UInt32 = 0
            // The framing was checked in pass 1: these reads cannot fail.
            while !scanner.isAtEnd {
                guard let (field, type) = try? scanner.readTag() else { break }
                guard field == 1, let range = try? scanner.readLengthDelimited() else {
                    _ = try? scanner.skip(type)
                    continue
                }
                let index = firstIndex + position
                position += 1
                let bytes = UnsafeRawBufferPointer(rebasing: request[range])
                switch validator.validate(bytes, now: now) {
                case .failure(let rejection):
                    rejections.append((index, rejection.reason))
                case .success(let scanned):
                    let club = UnsafeRawBufferPointer(rebasing: bytes[scanned.clubID])
                    if let owned = scope.clubID, !Self.sameBytes(club, owned) {
                        return RPCError(code: .permissionDenied, message: "activity \(index) has club_id \"\(ActivityValidator.printable(club))\" but the API key belongs to club \"\(scope.clubName)\"")
                    }
                    let member = members == nil ? KeyFingerprint(high: 0, low: 0)
                        : KeyFingerprint(UnsafeRawBufferPointer(rebasing: bytes[scanned.memberID]))
                    let key = KeyFingerprint(parts: club, UnsafeRawBufferPointer(rebasing: bytes[scanned.eventID]))
                    (candidates.baseAddress! + candidateCount).initialize(to: Candidate(
                        range: range, key: key, checksum: CRC32C.checksum(bytes), member: member,
                        memberID: (range.lowerBound + scanned.memberID.lowerBound)..<(range.lowerBound + scanned.memberID.upperBound),
                        index: index))
                    candidateCount += 1
                }
            }
            if let members, candidateCount > 0 {
                candidateCount = keepActiveMembers(candidates, count: candidateCount, members, request, scope, &rejections)
            }
            return nil
        }
        if let failure { return failure }
        summary.activitiesSeen = firstIndex + UInt32(count)
        if !rejections.isEmpty { summary.rejections += rejections }
        guard candidateCount > 0 else { return nil }
        let stamp = RecentKeyIndex.stamp(forMilliseconds: now)
        var accepted: UInt32 = 0
        var duplicates: UInt32 = 0
        var lastOffset: UInt64?
        let batch = UnsafeBufferPointer(rebasing: candidates[0..<candidateCount])
        do throws(LogError) {
            let (_, end) = try recent.withLock { (index: inout RecentKeyIndex) throws(LogError) in
                // Start every slot's cache miss before the first insert waits on one.
                for candidate in batch { index.prefetch(candidate.key) }
                return try log.withAppender { (appender: inout LogAppender) in
                    for candidate in batch {
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

    /// Drops the candidates whose member is not active, rejecting them, and returns how
    /// many remain (compacted to the front, in order). The set's slots are loaded for the
    /// whole batch first, so their cache misses overlap instead of one per activity.
    private func keepActiveMembers(_ candidates: UnsafeMutableBufferPointer<Candidate>, count: Int, _ members: ActiveMembers,
                                   _ request: UnsafeRawBufferPointer, _ scope: IngestScope,
                                   _ rejections: inout [(index: UInt32, reason: String)]) -> Int {
        members.warm(UnsafeBufferPointer(rebasing: candidates[0..<count]).lazy.map(\.member))
        let rejectedBefore = rejections.count
        var kept = 0
        for position in 0..<count {
            let candidate = candidates[position]
            if members.contains(fingerprint: candidate.member) {
                candidates[kept] = candidate
                kept += 1
            } else {
                let member = UnsafeRawBufferPointer(rebasing: request[candidate.memberID])
                rejections.append((candidate.index, "member_id: \"\(ActivityValidator.printable(member))\" is not an active member of club \"\(scope.clubName)\""))
            }
        }
        if rejectedBefore > 0 && rejections.count > rejectedBefore {
            // Validation rejections came first; keep the list in activity order.
            rejections.sort { $0.index < $1.index }
        }
        return kept
    }

    private func withMembers(_ scope: IngestScope, _ body: (ActiveMembers?) -> RPCError?) -> RPCError? {
        guard let directory = scope.members, let clubKey = scope.clubKey else { return body(nil) }
        guard directory.isReady else {
            return RPCError(code: .unavailable, message: "the membership cache is still loading from identity; retry shortly")
        }
        return directory.withClub(clubKey) { members in body(members) }
    }

    /// Whether `bytes` equal `expected` (one memcmp, not an element-wise generic compare).
    @inline(__always)
    static func sameBytes(_ bytes: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
        guard bytes.count == expected.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return expected.withUnsafeBytes { memcmp(base, $0.baseAddress!, bytes.count) == 0 }
    }

    private struct Candidate {
        /// The activity's bytes in the request.
        let range: Range<Int>
        /// Its idempotency key (club_id, event_id).
        let key: KeyFingerprint
        /// The CRC-32C of its bytes.
        let checksum: UInt32
        /// The fingerprint of its member_id (zero when membership is not checked).
        let member: KeyFingerprint
        /// Its member_id's bytes in the request (for a rejection's message).
        let memberID: Range<Int>
        /// Its index in the call.
        let index: UInt32
    }
}
