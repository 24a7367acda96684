import FanHeatCrypto
import FanHeatRPC
import FanHeatStorage

extension IdentityStore {
    /// Issues an opaque member token (after the club's own login); only its digest is stored.
    public func issueMemberToken(caller: Caller, clubID requested: String, memberID: String, ttlSeconds: Int64) throws -> IssuedMemberToken {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        guard ttlSeconds >= 0, ttlSeconds <= configuration.maximumTokenTTLSeconds else {
            throw Validator.invalid("ttl_seconds", "\(ttlSeconds) is not within 0-\(configuration.maximumTokenTTLSeconds)")
        }
        let ttl = ttlSeconds == 0 ? configuration.defaultTokenTTLSeconds : ttlSeconds
        let token = SecretToken.generate(prefix: Self.memberTokenPrefix)
        let time = now
        let expiresAt = time + ttl * 1000
        try write { database in
            _ = try Self.loadClub(database, clubID)
            let member = try Self.loadMember(database, clubID, memberID)
            guard member.status == .active else {
                throw RPCError(code: .failedPrecondition,
                               message: "member \"\(memberID)\" is \(member.status), not an active member; no token issued")
            }
            try database.run("""
                INSERT INTO member_tokens (token_id, club_id, member_id, token_sha256, issued_at_ms, expires_at_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                """, token.id, clubID, memberID, token.digest, time, expiresAt)
        }
        return IssuedMemberToken(token: token.secret, tokenID: token.id, expiresAt: expiresAt)
    }

    /// Verifies a member token: a token of a withdrawn or erased member is PERMISSION_DENIED;
    /// an unknown, revoked or expired token is UNAUTHENTICATED.
    public func verifyMemberToken(caller: Caller, token: String) throws -> MemberTokenGrant {
        guard !token.isEmpty else { throw Validator.invalid("token", "must not be empty") }
        guard let parsed = SecretToken.parse(token, prefix: Self.memberTokenPrefix) else {
            throw RPCError(code: .unauthenticated, message: "member token is malformed (expected \(Self.memberTokenPrefix)...)")
        }
        let time = now
        let row = try read { database in
            try database.query("""
                SELECT t.club_id, t.member_id, t.token_sha256, t.expires_at_ms, t.revoked_at_ms, t.revoked_reason,
                       m.state, m.membership_number, m.withdrawn_at_ms
                FROM member_tokens t JOIN members m ON m.club_id = t.club_id AND m.member_id = t.member_id
                WHERE t.token_id = ?
                """, parsed.id).first
        }
        guard let row, Digest.constantTimeEquals(row.blob(2), parsed.digest) else {
            throw RPCError(code: .unauthenticated, message: "member token is not valid")
        }
        let clubID = row.text(0)
        let memberID = row.text(1)
        if case .club(let own, _) = caller, own != clubID {
            throw Self.crossClubDenied(own: own, requested: clubID)
        }
        let status = MembershipStatus(rawValue: row.int(6)) ?? .active
        let reason = row.text(5)
        switch status {
        case .withdrawn:
            throw RPCError(code: .permissionDenied,
                           message: "member \"\(memberID)\" withdrew from club \"\(clubID)\"; members-only access has ended")
        case .erased:
            throw RPCError(code: .permissionDenied, message: "member \"\(memberID)\" of club \"\(clubID)\" was erased")
        case .active where reason == "withdrawn":
            throw RPCError(code: .unauthenticated,
                           message: "member token was revoked when the member withdrew; the member must log in again")
        case .active:
            break
        }
        guard row.integer(4) == 0 else {
            throw RPCError(code: .unauthenticated, message: "member token \(parsed.id) was revoked")
        }
        guard row.integer(3) > time else {
            throw RPCError(code: .unauthenticated, message: "member token \(parsed.id) has expired")
        }
        return MemberTokenGrant(clubID: clubID, memberID: memberID, membershipNumber: row.integer(7), status: status,
                                tokenID: parsed.id, expiresAt: row.integer(3))
    }

    /// Revokes one token, named by the token or its id; returns whether it was still usable.
    public func revokeMemberToken(caller: Caller, token: String, tokenID: String) throws -> (tokenID: String, wasActive: Bool) {
        var id = tokenID
        var digest: [UInt8]?
        if !token.isEmpty {
            guard let parsed = SecretToken.parse(token, prefix: Self.memberTokenPrefix) else {
                throw Validator.invalid("token", "is malformed (expected \(Self.memberTokenPrefix)...)")
            }
            id = parsed.id
            digest = parsed.digest
        }
        guard !id.isEmpty else { throw Validator.invalid("token", "give token or token_id") }
        let time = now
        return try write { database in
            guard let row = try database.query("""
                SELECT club_id, token_sha256, revoked_at_ms, expires_at_ms FROM member_tokens WHERE token_id = ?
                """, id).first, digest.map({ Digest.constantTimeEquals($0, row.blob(1)) }) ?? true
            else { throw RPCError(code: .notFound, message: "member token \"\(id)\" not found") }
            if case .club(let own, _) = caller, own != row.text(0) {
                throw Self.crossClubDenied(own: own, requested: row.text(0))
            }
            let wasActive = row.integer(2) == 0 && row.integer(3) > time
            if row.integer(2) == 0 {
                try database.run("UPDATE member_tokens SET revoked_at_ms = ?, revoked_reason = 'revoked' WHERE token_id = ?", time, id)
            }
            return (id, wasActive)
        }
    }
}
