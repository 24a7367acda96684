/// Writes protobuf binary wire format into a contiguous byte buffer.
///
/// `serializedBytes()` sizes the buffer exactly from `serializedSize()` and writes into
/// the result array's storage directly; a writer made with `init()` grows as needed.
/// Every write checks capacity, so a wrong size estimate costs a reallocation, never
/// memory safety.
public struct ProtobufWriter: ~Copyable {
    /// Extra capacity kept beyond an exact size so that a varint write can reserve its
    /// worst case (10 bytes) with a single comparison.
    public static let slack = 10

    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int
    @usableFromInline var ownsStorage: Bool

    /// Creates an empty, growable writer.
    public init() {
        self.init(capacity: 64)
    }

    /// Creates a growable writer with room for `capacity` bytes.
    public init(capacity: Int) {
        let capacity = max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        count = 0
        self.capacity = capacity
        ownsStorage = true
    }

    /// Creates a writer over borrowed memory; it switches to owned memory if it must grow.
    @usableFromInline
    init(borrowing buffer: UnsafeMutableRawBufferPointer) {
        if let address = buffer.baseAddress, buffer.count > 0 {
            base = address
            capacity = buffer.count
            ownsStorage = false
        } else {
            base = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
            capacity = 16
            ownsStorage = true
        }
        count = 0
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    /// The number of bytes written.
    @inlinable
    public var byteCount: Int { count }

    /// Whether the writer still writes into the memory it was created over.
    @usableFromInline
    var isBorrowing: Bool { !ownsStorage }

    /// A copy of the bytes written.
    public var bytes: [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the bytes written.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Makes room for `byteCount` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ byteCount: Int) {
        if capacity &- count < byteCount { grow(byteCount) }
    }

    @usableFromInline
    mutating func grow(_ byteCount: Int) {
        let newCapacity = max(capacity * 2, count + byteCount + ProtobufWriter.slack, 64)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        newBase.copyMemory(from: base, byteCount: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    // MARK: Primitives

    /// Writes one byte.
    @inlinable @inline(__always)
    public mutating func writeByte(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// Writes a field tag.
    @inlinable @inline(__always)
    public mutating func writeTag(_ tag: UInt32) {
        if tag < 0x80 {
            writeByte(UInt8(truncatingIfNeeded: tag))
        } else {
            writeVarint(UInt64(tag))
        }
    }

    /// Writes a base-128 varint.
    @inlinable @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        reserve(ProtobufWriter.slack)
        var pointer = base + count
        var value = value
        while value >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, as: UInt8.self)
            pointer += 1
            value >>= 7
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        count = pointer + 1 - base
    }

    /// Writes four little-endian bytes.
    @inlinable @inline(__always)
    public mutating func writeFixed32(_ value: UInt32) {
        reserve(4)
        (base + count).storeBytes(of: value.littleEndian, as: UInt32.self)
        count &+= 4
    }

    /// Writes eight little-endian bytes.
    @inlinable @inline(__always)
    public mutating func writeFixed64(_ value: UInt64) {
        reserve(8)
        (base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count &+= 8
    }

    /// Writes raw bytes.
    @inlinable @inline(__always)
    public mutating func writeRawBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// Writes raw bytes.
    @inlinable
    public mutating func writeRawBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeRawBytes($0) }
    }

    /// Re-emits kept unknown fields.
    @inlinable
    public mutating func writeUnknownFields(_ fields: ProtobufUnknownFields) {
        if !fields.bytes.isEmpty { writeRawBytes(fields.bytes) }
    }
}
