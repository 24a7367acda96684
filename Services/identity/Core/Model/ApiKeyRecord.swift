/// A club API key without its secret.
public struct ApiKeyRecord: Sendable, Hashable {
    /// The key id (also embedded in the secret).
    public var id: String
    /// The owning club.
    public var clubID: String
    /// Operator label.
    public var name: String
    /// Creation time (Unix ms).
    public var createdAt: Int64
    /// Revocation time (Unix ms); 0 while valid.
    public var revokedAt: Int64

    /// Creates a record.
    public init(id: String, clubID: String, name: String, createdAt: Int64, revokedAt: Int64) {
        self.id = id
        self.clubID = clubID
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Whether the key still authenticates.
    public var isRevoked: Bool { revokedAt != 0 }
}

/// A newly created key with its one-time secret.
public struct CreatedApiKey: Sendable {
    /// The stored record.
    public var record: ApiKeyRecord
    /// The secret, shown once.
    public var secret: String
}
