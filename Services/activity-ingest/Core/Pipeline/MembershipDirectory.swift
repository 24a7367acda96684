#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FanHeatStorage

/// The local cache of which members are active in which club, fed by identity's
/// `WatchMemberships` stream and read on the ingest hot path (never a call to identity
/// per activity). Clubs and members are kept as 128-bit fingerprints of their ids.
///
/// Reads take a shared (reader) lock once per request; the feed takes the exclusive lock
/// per change.
public final class MembershipDirectory: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    private var clubs: [KeyFingerprint: FingerprintSet] = [:]
    private var staging: [KeyFingerprint: FingerprintSet]?
    private var snapshotComplete = false
    private var lastRevision: UInt64 = 0

    /// Creates an empty directory (not ready until the first snapshot completes).
    public init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Whether a full snapshot has been loaded (before that, membership is unknown).
    public var isReady: Bool { withReadLock { snapshotComplete } }

    /// The revision of the newest change applied; a reconnect resumes after it.
    public var revision: UInt64 { withReadLock { lastRevision } }

    /// The number of active members of `club`.
    public func activeCount(club: String) -> Int { withReadLock { clubs[KeyFingerprint(club)]?.count ?? 0 } }

    /// Runs `body` under the read lock with a membership test for `club`.
    public func withClub<Result>(_ club: KeyFingerprint, _ body: (ActiveMembers) -> Result) -> Result {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return body(ActiveMembers(members: clubs[club]))
    }

    /// Starts a fresh snapshot: changes go to a staging copy until ``completeSnapshot(revision:)``.
    public func beginSnapshot() {
        withWriteLock { staging = [:] }
    }

    /// Records one member's state (from a snapshot message or a live change).
    public func apply(club: String, member: String, active: Bool, revision: UInt64) {
        let clubKey = KeyFingerprint(club)
        let memberKey = KeyFingerprint(member)
        withWriteLock {
            if staging != nil {
                if active { staging![clubKey, default: FingerprintSet()].insert(memberKey) } else { staging![clubKey]?.remove(memberKey) }
            } else {
                if active { clubs[clubKey, default: FingerprintSet()].insert(memberKey) } else { clubs[clubKey]?.remove(memberKey) }
                lastRevision = max(lastRevision, revision)
            }
        }
    }

    /// Ends a snapshot or a resume replay at `revision`: the staged snapshot (if any)
    /// replaces the cache, and the directory is ready.
    public func completeSnapshot(revision: UInt64) {
        withWriteLock {
            if let staged = staging {
                clubs = staged
                staging = nil
            }
            lastRevision = max(lastRevision, revision)
            snapshotComplete = true
        }
    }

    private func withReadLock<T>(_ body: () -> T) -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return body()
    }

    private func withWriteLock<T>(_ body: () -> T) -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return body()
    }
}

/// A club's active members, borrowed under the directory's read lock.
public struct ActiveMembers {
    let members: FingerprintSet?

    /// Whether the member whose id is `memberID` is active.
    public func contains(_ memberID: UnsafeRawBufferPointer) -> Bool {
        contains(fingerprint: KeyFingerprint(memberID))
    }

    /// Whether the member whose id has this fingerprint (`KeyFingerprint(memberID)`) is active.
    public func contains(fingerprint: KeyFingerprint) -> Bool {
        members?.contains(fingerprint) ?? false
    }

    /// Starts loading the set's slot for each fingerprint, ahead of ``contains(fingerprint:)``.
    public func warm<Fingerprints: Sequence<KeyFingerprint>>(_ fingerprints: Fingerprints) {
        guard let members else { return }
        var sink: UInt64 = 0
        for fingerprint in fingerprints { sink &+= members.warm(fingerprint) }
        withExtendedLifetime(sink) {}
    }
}
