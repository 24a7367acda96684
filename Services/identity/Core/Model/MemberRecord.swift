/// Where a membership stands (raw values as in the contract's MembershipState).
public enum MembershipStatus: Int, Sendable, Hashable {
    /// A current member.
    case active = 1
    /// Withdrew; may rejoin.
    case withdrawn = 2
    /// Personal data erased; tombstone only.
    case erased = 3
}

/// A member of one club and their membership.
public struct MemberRecord: Sendable, Hashable {
    /// The club.
    public var clubID: String
    /// The club's external member id.
    public var memberID: String
    /// Membership number, per club.
    public var membershipNumber: Int64
    /// Membership state.
    public var status: MembershipStatus
    /// Personal data; nil once erased.
    public var profile: MemberProfile?
    /// Start of the current membership (Unix ms).
    public var joinedAt: Int64
    /// Withdrawal time (Unix ms) or 0.
    public var withdrawnAt: Int64
    /// Erasure time (Unix ms) or 0.
    public var erasedAt: Int64
    /// Last change time (Unix ms).
    public var updatedAt: Int64
    /// Feed revision of the latest change.
    public var revision: Int64
    /// While withdrawn: a rejoin before this keeps the number (Unix ms); else 0.
    public var rejoinDeadline: Int64

    /// Creates a record.
    public init(clubID: String, memberID: String, membershipNumber: Int64, status: MembershipStatus,
                profile: MemberProfile?, joinedAt: Int64, withdrawnAt: Int64, erasedAt: Int64,
                updatedAt: Int64, revision: Int64, rejoinDeadline: Int64) {
        self.clubID = clubID
        self.memberID = memberID
        self.membershipNumber = membershipNumber
        self.status = status
        self.profile = profile
        self.joinedAt = joinedAt
        self.withdrawnAt = withdrawnAt
        self.erasedAt = erasedAt
        self.updatedAt = updatedAt
        self.revision = revision
        self.rejoinDeadline = rejoinDeadline
    }
}

/// The outcome of a rejoin.
public struct RejoinOutcome: Sendable {
    /// The member after rejoining.
    public var member: MemberRecord
    /// Whether the old membership number was kept (rejoined within the grace period).
    public var keptMembershipNumber: Bool
}

/// The outcome of a withdrawal.
public struct WithdrawOutcome: Sendable {
    /// The member after withdrawing.
    public var member: MemberRecord
    /// Tokens that stopped working.
    public var revokedTokens: Int
}
