import FanHeatRPC

/// How the ingest service authenticates callers.
public enum IngestAuthentication: Sendable {
    /// Production: club API keys verified with identity (cached), membership checked
    /// against the local cache fed by `WatchMemberships`; the admin key (if configured)
    /// may Subscribe to every club.
    case identity(keys: ClubKeyCache, members: MembershipDirectory, adminKey: String?)
    /// Development only (`--auth-mode=none`): no key needed, every club accepted,
    /// membership not checked. Never for a deployment.
    case none

    /// What a caller may do.
    public enum Caller: Sendable {
        /// Write and read one club's activities.
        case club(IngestScope)
        /// Read every club's activities (admin key or development mode).
        case everything
    }

    /// The caller, if it can be decided without waiting (development mode, admin key,
    /// cached key); nil when the key must be verified with identity first.
    public func cachedCaller(_ metadata: Metadata) -> Result<Caller, RPCError>? {
        guard case .identity(let keys, let members, let adminKey) = self else { return .success(.everything) }
        let raw = metadata.firstString(forKey: "authorization")
        if let raw, let scope = keys.cachedScope(forAuthorization: raw) { return scope.map { .club($0) } }
        switch CallerCredentials(metadata) {
        case .missing(let reason):
            return .failure(RPCError(code: .unauthenticated, message: reason))
        case .bearer(let secret):
            if let adminKey, secretsEqual(secret, adminKey) { return .success(.everything) }
            guard let (outcome, expires) = keys.cachedEntry(secret) else { return nil }
            let scope = outcome.map { club in IngestScope(clubID: club, members: members) }
            if let raw { keys.rememberScope(scope, forAuthorization: raw, expires: expires) }
            return scope.map { .club($0) }
        }
    }

    /// The caller, verifying its key with identity if needed.
    public func caller(_ metadata: Metadata) async throws(RPCError) -> Caller {
        if let cached = cachedCaller(metadata) { return try cached.get() }
        guard case .identity(let keys, let members, _) = self, case .bearer(let secret) = CallerCredentials(metadata) else {
            return .everything
        }
        let club = try await keys.clubID(forSecret: secret)
        return .club(IngestScope(clubID: club, members: members))
    }
}

extension IngestAuthentication.Caller {
    /// The scope for writing: a club's scope, the unchecked scope in development mode, or
    /// PERMISSION_DENIED for the admin key (which belongs to no club).
    func writeScope(developmentMode: Bool) throws(RPCError) -> IngestScope {
        switch self {
        case .club(let scope): return scope
        case .everything:
            if developmentMode { return .unchecked }
            throw RPCError(code: .permissionDenied, message: "the admin key cannot ingest activities; use the club's API key")
        }
    }
}
