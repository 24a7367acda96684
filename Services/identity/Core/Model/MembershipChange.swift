/// What a feed entry reports (raw values as in the contract's MembershipEventKind).
public enum MembershipChangeKind: Int, Sendable, Hashable {
    /// A member's current state during the snapshot.
    case snapshot = 1
    /// The snapshot or catch-up replay is complete.
    case snapshotComplete = 2
    /// Joined.
    case joined = 3
    /// Profile or preferences updated.
    case updated = 4
    /// Withdrew.
    case withdrawn = 5
    /// Rejoined.
    case rejoined = 6
    /// Erased.
    case erased = 7
}

/// One entry of the membership feed.
public struct MembershipChange: Sendable, Hashable {
    /// Feed revision.
    public var revision: Int64
    /// What happened.
    public var kind: MembershipChangeKind
    /// The member as of this change (profile as of now; nil for snapshot-complete).
    public var member: MemberRecord?
    /// When it happened (Unix ms).
    public var occurredAt: Int64

    /// Creates an entry.
    public init(revision: Int64, kind: MembershipChangeKind, member: MemberRecord?, occurredAt: Int64) {
        self.revision = revision
        self.kind = kind
        self.member = member
        self.occurredAt = occurredAt
    }
}
