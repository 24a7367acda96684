/// UTF-8 validation for decoded string fields.
public enum ProtobufUTF8 {
    /// A string from `bytes`, or `nil` if they are not valid UTF-8.
    @inlinable
    public static func string(validating bytes: UnsafeRawBufferPointer) -> String? {
        let units = bytes.assumingMemoryBound(to: UInt8.self)
        if isASCII(bytes) { return String(decoding: units, as: UTF8.self) }
        return String(validating: units, as: UTF8.self)
    }

    /// Whether every byte is below 0x80 (checked eight bytes at a time).
    @inlinable
    public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var pointer = bytes.baseAddress else { return true }
        let end = pointer + bytes.count
        var accumulated: UInt64 = 0
        while end - pointer >= 8 {
            accumulated |= pointer.loadUnaligned(as: UInt64.self)
            pointer += 8
        }
        while pointer < end {
            accumulated |= UInt64(pointer.load(as: UInt8.self))
            pointer += 1
        }
        return accumulated & 0x8080_8080_8080_8080 == 0
    }
}
