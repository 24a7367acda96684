/// The fields of one activity located in its wire bytes (ranges into those bytes).
public struct ScannedActivity {
    /// `event_id`.
    public var eventID: Range<Int> = 0..<0
    /// `club_id`.
    public var clubID: Range<Int> = 0..<0
    /// `member_id`.
    public var memberID: Range<Int> = 0..<0
    /// `kind`.
    public var kind: UInt64 = 0
    /// `occurred_at_ms`.
    public var occurredAt: Int64 = 0
    /// `item_id`.
    public var itemID: Range<Int> = 0..<0
    /// `value`.
    public var value: Int64 = 0
    /// `currency`.
    public var currency: Range<Int> = 0..<0
    /// How many `attributes` entries.
    public var attributeCount = 0

    /// Creates an empty scan result.
    public init() {}
}
