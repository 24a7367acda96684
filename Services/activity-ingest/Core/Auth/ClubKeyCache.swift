import FanHeatRPC
import Synchronization

/// Caches key verifications: a verified key is trusted for `ttl` (so a revoked key stops
/// working within `ttl`), a rejected key is remembered for `negativeTTL` so a flood of
/// bad keys does not become a flood of identity calls.
public final class ClubKeyCache: Sendable {
    private let authority: any ClubKeyAuthority
    private let ttl: Duration
    private let negativeTTL: Duration
    private let entries = Mutex<[String: Entry]>([:])
    private static let maximumEntries = 100_000

    private struct Entry {
        let outcome: Result<String, RPCError>
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
