import FanHeatCrypto
import FanHeatRPC

extension IdentityStore {
    /// Establishes the caller from a bearer token: the admin key or a valid club API key.
    /// Missing, malformed, unknown or revoked keys are UNAUTHENTICATED.
    public func authenticate(bearer: String?) throws -> Caller {
        guard let bearer, !bearer.isEmpty else {
            throw RPCError(code: .unauthenticated, message: "missing \"authorization: Bearer <key>\" metadata")
        }
        if let adminKeyDigest, Digest.constantTimeEquals(Digest.sha256(bearer), adminKeyDigest) {
            return .admin
        }
        let key = try verifyApiKeySecret(bearer)
        return .club(clubID: key.clubID, keyID: key.keyID)
    }

    /// Checks a club API key secret; returns its club and key id, or UNAUTHENTICATED.
    public func verifyApiKeySecret(_ secret: String) throws -> (clubID: String, keyID: String) {
        guard let parsed = SecretToken.parse(secret, prefix: Self.apiKeyPrefix) else {
            throw RPCError(code: .unauthenticated, message: "API key is not a valid key (expected \(Self.apiKeyPrefix)...)")
        }
        let digest = parsed.digest
        if let cached = keyCache.withLock({ $0[parsed.id] }) {
            guard Digest.constantTimeEquals(cached.digest, digest) else {
                throw RPCError(code: .unauthenticated, message: "API key is not valid")
            }
            return (cached.clubID, parsed.id)
        }
        let row = try read { database in
            try database.query("SELECT club_id, secret_sha256, revoked_at_ms FROM api_keys WHERE key_id = ?", parsed.id).first
        }
        guard let row, Digest.constantTimeEquals(row.blob(1), digest) else {
            throw RPCError(code: .unauthenticated, message: "API key is not valid")
        }
        guard row.integer(2) == 0 else {
            throw RPCError(code: .unauthenticated, message: "API key \(parsed.id) was revoked")
        }
        let clubID = row.text(0)
        keyCache.withLock { $0[parsed.id] = CachedApiKey(clubID: clubID, digest: digest) }
        return (clubID, parsed.id)
    }

    /// The club a request acts on: `requested`, or the caller's own club when empty.
    /// A club key naming another club is PERMISSION_DENIED; the admin must name a club.
    public func scope(_ caller: Caller, clubID requested: String) throws -> String {
        switch caller {
        case .admin:
            guard !requested.isEmpty else { throw Validator.invalid("club_id", "must not be empty") }
            return requested
        case .club(let own, _):
            if requested.isEmpty || requested == own { return own }
            throw Self.crossClubDenied(own: own, requested: requested)
        }
    }

    /// Fails unless the caller is the admin.
    public func requireAdmin(_ caller: Caller, action: String) throws {
        guard caller == .admin else {
            throw RPCError(code: .permissionDenied, message: "\(action) needs the admin key; a club API key may not do it")
        }
    }

    /// PERMISSION_DENIED for a club key reaching into another club.
    static func crossClubDenied(own: String, requested: String) -> RPCError {
        RPCError(code: .permissionDenied,
                 message: "the API key of club \"\(own)\" may not access club \"\(requested)\"")
    }
}
