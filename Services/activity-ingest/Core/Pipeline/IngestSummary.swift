/// What one call (or a whole client stream) did, encoded as an `IngestResponse`.
public struct IngestSummary: Sendable {
    /// Activities newly stored.
    public var accepted: UInt32 = 0
    /// Activities already stored earlier (same club_id and event_id).
    public var duplicates: UInt32 = 0
    /// Rejected activities: (index in the call or stream, reason naming the field).
    public var rejections: [(index: UInt32, reason: String)] = []
    /// The log offset of the last activity stored (0 if none).
    public var lastOffset: UInt64 = 0
    /// The log end the response must wait for (durable through it) before it is sent.
    public var durableTarget: UInt64 = 0
    /// How many activities the call or stream carried so far (next index).
    public var activitiesSeen: UInt32 = 0

    /// An empty summary.
    public init() {}

    /// The `IngestResponse` wire bytes.
    public func encodedResponse() -> [UInt8] {
        var writer = WireWriter(capacity: 24 + rejections.count * 48)
        writer.appendVarintField(1, UInt64(accepted))
        writer.appendVarintField(2, UInt64(duplicates))
        for rejection in rejections {
            var reason = rejection.reason
            let count = reason.utf8.count
            let size = (rejection.index == 0 ? 0 : 1 + WireWriter.varintSize(UInt64(rejection.index)))
                + (count == 0 ? 0 : 1 + WireWriter.varintSize(UInt64(count)) + count)
            writer.appendNested(3, size: size) { nested in
                nested.appendVarintField(1, UInt64(rejection.index))
                reason.withUTF8 { if count > 0 { nested.appendBytesField(2, UnsafeRawBufferPointer($0)) } }
            }
        }
        writer.appendVarintField(4, lastOffset)
        return writer.bytes
    }
}
