import FanHeatRPC

/// Tells which club a club API key secret belongs to (identity's `VerifyApiKey`).
public protocol ClubKeyAuthority: Sendable {
    /// The club id of `secret`; throws UNAUTHENTICATED for an unknown, malformed or
    /// revoked key and UNAVAILABLE when the authority cannot be reached.
    func clubID(forSecret secret: String) async throws(RPCError) -> String
}
