/// A fan club as the identity store keeps it.
public struct Club: Sendable, Hashable {
    /// The club's id.
    public var id: String
    /// Display name.
    public var name: String
    /// IANA time zone identifier.
    public var timeZone: String
    /// BCP 47 default locale.
    public var defaultLocale: String
    /// The club's own rejoin grace period; 0 uses the server default.
    public var rejoinGraceSeconds: Int64
    /// Creation time (Unix ms).
    public var createdAt: Int64
    /// Last update time (Unix ms).
    public var updatedAt: Int64

    /// Creates a club value.
    public init(id: String, name: String, timeZone: String, defaultLocale: String,
                rejoinGraceSeconds: Int64, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.defaultLocale = defaultLocale
        self.rejoinGraceSeconds = rejoinGraceSeconds
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The fields of a club that UpdateClub may change.
public struct ClubChanges: Sendable {
    /// New name, if changing.
    public var name: String?
    /// New time zone, if changing.
    public var timeZone: String?
    /// New default locale, if changing.
    public var defaultLocale: String?
    /// New rejoin grace period, if changing.
    public var rejoinGraceSeconds: Int64?

    /// Creates a change set.
    public init(name: String? = nil, timeZone: String? = nil, defaultLocale: String? = nil, rejoinGraceSeconds: Int64? = nil) {
        self.name = name
        self.timeZone = timeZone
        self.defaultLocale = defaultLocale
        self.rejoinGraceSeconds = rejoinGraceSeconds
    }
}
