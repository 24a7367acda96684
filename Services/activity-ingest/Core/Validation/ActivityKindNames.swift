/// The `ActivityKind` values the service accepts (1…10; 0 is "unspecified").
public enum ActivityKindNames {
    /// The highest known kind number.
    public static let highestKnown: UInt64 = 10
    /// The kind number of a purchase (the only kind with a currency).
    public static let purchase: UInt64 = 5
}
