/// A newly issued member token.
public struct IssuedMemberToken: Sendable {
    /// The opaque token, shown once.
    public var token: String
    /// The token id.
    public var tokenID: String
    /// Expiry (Unix ms).
    public var expiresAt: Int64
}

/// What a valid member token grants.
public struct MemberTokenGrant: Sendable, Hashable {
    /// The club.
    public var clubID: String
    /// The member.
    public var memberID: String
    /// The membership number.
    public var membershipNumber: Int64
    /// The membership state (always active for a valid token).
    public var status: MembershipStatus
    /// The token id.
    public var tokenID: String
    /// Expiry (Unix ms).
    public var expiresAt: Int64
}
