/// The bounds every ingested activity and request must respect.
public struct ActivityLimits: Sendable {
    /// Most activities in one `IngestRequest`.
    public var maxActivitiesPerRequest = 1000
    /// Longest id (event, club, member, item) in UTF-8 bytes.
    public var maxIdentifierBytes = 128
    /// How far in the future `occurred_at_ms` may be, in milliseconds.
    public var maxFutureMilliseconds: Int64 = 5 * 60 * 1000
    /// Most attributes per activity.
    public var maxAttributes = 32
    /// Longest attribute key in UTF-8 bytes.
    public var maxAttributeKeyBytes = 64
    /// Longest attribute value in UTF-8 bytes.
    public var maxAttributeValueBytes = 256

    /// The defaults above.
    public init() {}
}
