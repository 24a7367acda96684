import FanHeatStorage

/// Builds `ActivityBatch` wire bytes straight from log records: each record's stored
/// Activity bytes are embedded as they are, never decoded.
public struct ActivityBatchEncoder {
    /// The bytes so far.
    public private(set) var writer = WireWriter(capacity: 64 << 10)
    /// How many activities were added.
    public private(set) var count = 0
    /// The offset after the last record added.
    public private(set) var nextOffset: UInt64 = 0

    /// Creates an empty batch.
    public init() {}

    /// Appends one `LoggedActivity`.
    public mutating func append(_ record: LogRecordView) {
        let offsetSize = record.offset == 0 ? 0 : 1 + WireWriter.varintSize(record.offset)
        let timeSize = record.ingestedAt == 0 ? 0 : 1 + WireWriter.varintSize(UInt64(bitPattern: record.ingestedAt))
        let payloadSize = 1 + WireWriter.varintSize(UInt64(record.payload.count)) + record.payload.count
        writer.appendNested(1, size: offsetSize + timeSize + payloadSize) { nested in
            nested.appendVarintField(1, record.offset)
            nested.appendVarintField(2, UInt64(bitPattern: record.ingestedAt))
            nested.appendBytesField(3, record.payload)
        }
        count += 1
        nextOffset = record.offset + 1
    }

    /// The `ActivityBatch` bytes.
    public var bytes: [UInt8] { writer.bytes }
}
