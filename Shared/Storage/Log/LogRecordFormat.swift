/// The on-disk framing of one log record (little-endian):
///
/// ```
/// 0   u32  payload length L
/// 4   u32  CRC-32C over payload bytes, then header bytes 8..<40
/// 8   u64  offset (dense, monotonic across segments)
/// 16  i64  ingested-at, Unix milliseconds
/// 24  16B  key fingerprint (the record's idempotency key)
/// 40  L    payload (an Activity's protobuf wire bytes)
/// ```
public enum LogRecordFormat {
    /// The fixed header size in bytes.
    public static let headerSize = 40
    /// The largest payload accepted (a larger length field means a torn or corrupt record).
    public static let maximumPayloadSize = 4 << 20

    /// The checksum of a record: CRC-32C of the payload continued over header bytes 8..<40.
    static func checksum(payloadChecksum: UInt32, headerTail: UnsafeRawBufferPointer) -> UInt32 {
        CRC32C.update(payloadChecksum, headerTail)
    }

    /// Writes the 40-byte header for a record to `header`.
    static func writeHeader(
        into header: UnsafeMutableRawPointer, payloadLength: Int, payloadChecksum: UInt32,
        offset: UInt64, ingestedAt: Int64, key: KeyFingerprint
    ) {
        header.storeBytes(of: UInt32(payloadLength).littleEndian, toByteOffset: 0, as: UInt32.self)
        header.storeBytes(of: offset.littleEndian, toByteOffset: 8, as: UInt64.self)
        header.storeBytes(of: ingestedAt.littleEndian, toByteOffset: 16, as: Int64.self)
        header.storeBytes(of: key.high.littleEndian, toByteOffset: 24, as: UInt64.self)
        header.storeBytes(of: key.low.littleEndian, toByteOffset: 32, as: UInt64.self)
        let crc = checksum(payloadChecksum: payloadChecksum, headerTail: UnsafeRawBufferPointer(start: header + 8, count: 32))
        header.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self)
    }
}

/// One record as read back from the log; `payload` points into a read buffer valid only
/// during the visit.
public struct LogRecordView {
    /// The record's offset.
    public let offset: UInt64
    /// When it was appended, Unix milliseconds.
    public let ingestedAt: Int64
    /// Its idempotency key fingerprint.
    public let key: KeyFingerprint
    /// Its payload bytes.
    public let payload: UnsafeRawBufferPointer
}

/// The result of parsing the bytes at the start of a buffer as a record.
enum LogFrameParse {
    /// A whole, valid record of `size` bytes.
    case record(LogRecordView, size: Int)
    /// The buffer ends before the record does (needs `size` bytes in all).
    case incomplete(size: Int)
    /// The bytes are not a valid record (bad length or checksum).
    case corrupt(String)

    /// Parses the record at the start of `bytes`, verifying its checksum when asked.
    static func parse(_ bytes: UnsafeRawBufferPointer, verify: Bool) -> LogFrameParse {
        let header = LogRecordFormat.headerSize
        guard bytes.count >= header else { return .incomplete(size: header) }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        guard length <= LogRecordFormat.maximumPayloadSize else { return .corrupt("record length \(length) exceeds the maximum") }
        guard bytes.count >= header + length else { return .incomplete(size: header + length) }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[header..<(header + length)])
        if verify {
            let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let computed = LogRecordFormat.checksum(
                payloadChecksum: CRC32C.checksum(payload),
                headerTail: UnsafeRawBufferPointer(rebasing: bytes[8..<header]))
            guard stored == computed else { return .corrupt("record checksum mismatch") }
        }
        let view = LogRecordView(
            offset: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            ingestedAt: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: Int64.self)),
            key: KeyFingerprint(
                high: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
                low: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self))),
            payload: payload)
        return .record(view, size: header + length)
    }
}
