import FanHeatRPC
import Synchronization
import FanHeatSync

/// Caches key verifications: a verified key is trusted for `ttl` (so a revoked key stops
/// working within `ttl`), a rejected key is remembered for `negativeTTL` so a flood of
/// bad keys does not become a flood of identity calls.
public final class ClubKeyCache: Sendable {
    private let authority: any ClubKeyAuthority
    private let ttl: Duration
    private let negativeTTL: Duration
    private let entries = AdaptiveLock<[String: Entry]>([:])
    private let scopes = AdaptiveLock<[String: ScopeEntry]>([:])
    private static let maximumEntries = 100_000

    private struct Entry {
        let outcome: Result<String, RPCError>
        let expires: ContinuousClock.Instant
    }

    private struct ScopeEntry {
        let outcome: Result<IngestScope, RPCError>
        let expires: ContinuousClock.Instant
    }

    /// Creates a cache in front of `authority`.
    public init(authority: any ClubKeyAuthority, ttl: Duration = .seconds(30), negativeTTL: Duration = .seconds(5)) {
        self.authority = authority
        self.ttl = ttl
        self.negativeTTL = negativeTTL
    }

    /// The cached outcome for `secret`, if fresh (hot path: no suspension).
    public func cached(_ secret: String) -> Result<String, RPCError>? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[secret], entry.expires > now else { return nil }
            return entry.outcome
        }
    }

    /// The cached outcome for `secret` and when it expires, if fresh.
    public func cachedEntry(_ secret: String) -> (outcome: Result<String, RPCError>, expires: ContinuousClock.Instant)? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[secret], entry.expires > now else { return nil }
            return (entry.outcome, entry.expires)
        }
    }

    /// The write scope resolved earlier for an `authorization` header value exactly as
    /// received, if still fresh: the per-call fast path (no parsing, no allocation).
    public func cachedScope(forAuthorization value: String) -> Result<IngestScope, RPCError>? {
        let now = ContinuousClock.now
        return scopes.withLock { scopes in
            guard let entry = scopes[value], entry.expires > now else { return nil }
            return entry.outcome
        }
    }

    /// Remembers the scope an `authorization` header value resolved to, until `expires`
    /// (the expiry of the key verification it came from, so revocation still takes
    /// effect within the TTL).
    public func rememberScope(_ outcome: Result<IngestScope, RPCError>, forAuthorization value: String, expires: ContinuousClock.Instant) {
        scopes.withLock { scopes in
            if scopes.count >= Self.maximumEntries { scopes.removeAll(keepingCapacity: true) }
            scopes[value] = ScopeEntry(outcome: outcome, expires: expires)
        }
    }

    /// The club of `secret`, from the cache or from the authority.
    public func clubID(forSecret secret: String) async throws(RPCError) -> String {
        if let cached = cached(secret) { return try cached.get() }
        let outcome: Result<String, RPCError>
        do throws(RPCError) {
            outcome = .success(try await authority.clubID(forSecret: secret))
        } catch where error.code == .unauthenticated || error.code == .permissionDenied {
            outcome = .failure(RPCError(code: .unauthenticated, message: "the club API key is unknown or revoked"))
        } catch {
            throw RPCError(code: .unavailable, message: "cannot verify the club API key with identity: \(error.message)")
        }
        let expires = ContinuousClock.now + (outcome.isSuccess ? ttl : negativeTTL)
        entries.withLock { entries in
            if entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
            entries[secret] = Entry(outcome: outcome, expires: expires)
        }
        return try outcome.get()
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
