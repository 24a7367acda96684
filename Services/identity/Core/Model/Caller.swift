/// Who is calling, as established from the `authorization: Bearer` metadata.
public enum Caller: Sendable, Hashable {
    /// The operator's admin key: may act on every club.
    case admin
    /// A club API key: may act only on its own club.
    case club(clubID: String, keyID: String)

    /// The club a club key belongs to; nil for the admin.
    public var clubID: String? {
        if case .club(let clubID, _) = self { return clubID }
        return nil
    }

    /// A short description for logs (never the secret).
    public var logDescription: String {
        switch self {
        case .admin: "admin"
        case .club(let clubID, let keyID): "club:\(clubID)/key:\(keyID)"
        }
    }
}
