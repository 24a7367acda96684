import FanHeatStorage

/// Whom a call may write for: the club its API key belongs to and the membership cache
/// used to reject activities of members who are not active.
public struct IngestScope: Sendable {
    /// The club's id as UTF-8 bytes; nil only in the documented development mode
    /// (`--auth-mode=none`), where any club is accepted and membership is not checked.
    public let clubID: [UInt8]?
    /// The membership cache (nil in development mode).
    public let members: MembershipDirectory?
    /// The fingerprint of `clubID` (the membership cache's club key), computed once.
    public let clubKey: KeyFingerprint?

    /// A scope for `clubID` checked against `members`.
    public init(clubID: String, members: MembershipDirectory) {
        self.clubID = Array(clubID.utf8)
        self.members = members
        clubKey = KeyFingerprint(clubID)
    }

    /// The unchecked development scope: every club, no membership check.
    public static let unchecked = IngestScope()

    private init() {
        clubID = nil
        members = nil
        clubKey = nil
    }

    /// The club's id as text, for messages.
    public var clubName: String { clubID.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}
