/// Appends protobuf wire format to a byte array: the few shapes the ingest service sends
/// (responses and streamed batches) without a message model.
public struct WireWriter {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with `capacity` bytes reserved.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a varint.
    public mutating func appendVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// The encoded size of a varint.
    public static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var remaining = value >> 7
        while remaining != 0 { size += 1; remaining >>= 7 }
        return size
    }

    /// Appends a tag.
    public mutating func appendTag(field: UInt32, type: WireScanner.WireType) {
        appendVarint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// Appends a varint field unless it is zero (proto3 default).
    public mutating func appendVarintField(_ field: UInt32, _ value: UInt64) {
        guard value != 0 else { return }
        appendTag(field: field, type: .varint)
        appendVarint(value)
    }

    /// Appends a length-delimited field holding `contents`.
    public mutating func appendBytesField(_ field: UInt32, _ contents: UnsafeRawBufferPointer) {
        appendTag(field: field, type: .lengthDelimited)
        appendVarint(UInt64(contents.count))
        bytes.append(contentsOf: contents)
    }

    /// Appends a string field unless it is empty.
    public mutating func appendStringField(_ field: UInt32, _ value: String) {
        guard !value.isEmpty else { return }
        var copy = value
        copy.withUTF8 { appendBytesField(field, UnsafeRawBufferPointer($0)) }
    }

    /// Appends a length-delimited field whose contents `body` writes (`size` must be their exact size).
    public mutating func appendNested(_ field: UInt32, size: Int, _ body: (inout WireWriter) -> Void) {
        appendTag(field: field, type: .lengthDelimited)
        appendVarint(UInt64(size))
        body(&self)
    }
}
