/// Adds framed records to the log's pending buffer; valid only inside
/// ``ActivityLog/withAppender(_:)``.
///
/// The appender writes records at its own cursor and counts offsets itself; the log's
/// pending count and next offset are updated once when the appender ends. (Storing both
/// back to the log object per record drew ~8% of the ingest server's samples at batch 100
/// onto those two stores. Without them `append` fell to 1.5%, though the samples mostly
/// moved to other memory-bound code: end to end the change was inside the noise.)
public struct LogAppender: ~Copyable {
    // Without reference counting: an appender only lives inside `withAppender`, which
    // holds the log. (An `unowned(unsafe)` reference still retained and released the log
    // around every access to its pending buffer: two atomic operations per record on a
    // cache line that both event loops and the writer thread touch, ~5% of the server's
    // CPU at batch 100.)
    private let log: Unmanaged<ActivityLog>
    /// The ingested-at time stamped on every record of this batch (Unix ms).
    public let ingestedAt: Int64
    /// How many records this appender added.
    public private(set) var appended = 0
    /// The offset the next record gets.
    private(set) var nextOffset: UInt64
    /// Where the next record goes in the pending buffer, and the room reserved there.
    private var cursor: UnsafeMutableRawPointer
    private var room: Int
    /// Bytes written at the reserved room that the pending buffer does not count yet.
    private(set) var unrecordedBytes = 0

    init(log: ActivityLog, ingestedAt: Int64, firstOffset: UInt64, room: (start: UnsafeMutableRawPointer, room: Int)) {
        self.log = Unmanaged.passUnretained(log)
        self.ingestedAt = ingestedAt
        nextOffset = firstOffset
        cursor = room.start
        self.room = room.room
    }

    /// Appends one record whose payload CRC-32C the caller computed (outside the lock);
    /// returns its offset.
    public mutating func append(payload: UnsafeRawBufferPointer, payloadChecksum: UInt32, key: KeyFingerprint) -> UInt64 {
        let size = LogRecordFormat.headerSize + payload.count
        if size > room { reserve(size) }
        let offset = nextOffset
        if let source = payload.baseAddress {
            (cursor + LogRecordFormat.headerSize).copyMemory(from: source, byteCount: payload.count)
        }
        LogRecordFormat.writeHeader(
            into: cursor, payloadLength: payload.count, payloadChecksum: payloadChecksum,
            offset: offset, ingestedAt: ingestedAt, key: key)
        cursor += size
        room -= size
        unrecordedBytes += size
        nextOffset = offset + 1
        appended += 1
        return offset
    }

    /// Appends one record, computing its payload checksum.
    public mutating func append(payload: UnsafeRawBufferPointer, key: KeyFingerprint) -> UInt64 {
        append(payload: payload, payloadChecksum: CRC32C.checksum(payload), key: key)
    }

    /// Counts what was written so far and reserves room for `size` more bytes (the pending
    /// buffer may move when it grows).
    private mutating func reserve(_ size: Int) {
        let written = unrecordedBytes
        unrecordedBytes = 0
        (cursor, room) = log._withUnsafeGuaranteedRef { log in
            log.pending.extend(by: written)
            return log.pending.reserve(size)
        }
    }
}
