import FanHeatCrypto
import FanHeatRPC
import FanHeatStorage

extension IdentityStore {
    /// Creates an API key for a club in the caller's scope; the secret is returned only here.
    public func createApiKey(caller: Caller, clubID requested: String, name: String) throws -> CreatedApiKey {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkName(name, field: "name", required: false)
        let token = SecretToken.generate(prefix: Self.apiKeyPrefix)
        let time = now
        let record = ApiKeyRecord(id: token.id, clubID: clubID, name: name, createdAt: time, revokedAt: 0)
        try write { database in
            _ = try Self.loadClub(database, clubID)
            try database.run("""
                INSERT INTO api_keys (key_id, club_id, name, secret_sha256, created_at_ms) VALUES (?, ?, ?, ?, ?)
                """, record.id, clubID, name, token.digest, time)
        }
        return CreatedApiKey(record: record, secret: token.secret)
    }

    /// Lists a club's keys (never secrets), oldest first.
    public func listApiKeys(caller: Caller, clubID requested: String, includeRevoked: Bool) throws -> [ApiKeyRecord] {
        let clubID = try scope(caller, clubID: requested)
        return try read { database in
            _ = try Self.loadClub(database, clubID)
            return try database.query("""
                SELECT key_id, club_id, name, created_at_ms, revoked_at_ms FROM api_keys
                WHERE club_id = ? AND (? OR revoked_at_ms = 0) ORDER BY created_at_ms, key_id
                """, clubID, includeRevoked).map(Self.apiKey(from:))
        }
    }

    /// Revokes a key at once: the next call with it is UNAUTHENTICATED.
    public func revokeApiKey(caller: Caller, clubID requested: String, keyID: String) throws -> ApiKeyRecord {
        let clubID = try scope(caller, clubID: requested)
        guard !keyID.isEmpty else { throw Validator.invalid("key_id", "must not be empty") }
        let time = now
        let record = try write { database in
            _ = try Self.loadClub(database, clubID)
            guard let row = try database.query(
                "SELECT key_id, club_id, name, created_at_ms, revoked_at_ms FROM api_keys WHERE key_id = ?", keyID).first
            else { throw RPCError(code: .notFound, message: "API key \"\(keyID)\" not found in club \"\(clubID)\"") }
            var record = Self.apiKey(from: row)
            guard record.clubID == clubID else {
                if case .club(let own, _) = caller { throw Self.crossClubDenied(own: own, requested: record.clubID) }
                throw RPCError(code: .notFound, message: "API key \"\(keyID)\" not found in club \"\(clubID)\"")
            }
            if record.revokedAt == 0 {
                record.revokedAt = time
                try database.run("UPDATE api_keys SET revoked_at_ms = ? WHERE key_id = ?", time, keyID)
            }
            return record
        }
        keyCache.withLock { _ = $0.removeValue(forKey: keyID) }
        return record
    }

    /// VerifyApiKey: the admin may verify any secret; a club key may verify only itself
    /// (an empty `secret` means the bearer).
    public func verifyApiKey(caller: Caller, bearer: String, secret: String) throws -> (clubID: String, keyID: String) {
        let presented = secret.isEmpty ? bearer : secret
        if case .club = caller, presented != bearer {
            throw RPCError(code: .permissionDenied,
                           message: "a club API key may verify only itself; use the admin key to verify other keys")
        }
        if case .admin = caller, secret.isEmpty {
            throw Validator.invalid("secret", "must not be empty when calling with the admin key")
        }
        return try verifyApiKeySecret(presented)
    }

    static func apiKey(from row: SQLiteRow) -> ApiKeyRecord {
        ApiKeyRecord(id: row.text(0), clubID: row.text(1), name: row.text(2), createdAt: row.integer(3), revokedAt: row.integer(4))
    }
}
