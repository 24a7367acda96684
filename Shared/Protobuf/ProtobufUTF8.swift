/// UTF-8 validation for decoded string fields.
public enum ProtobufUTF8 {
    /// A string from `bytes`, or `nil` if they are not valid UTF-8.
    ///
    /// ASCII (checked eight bytes at a time) is copied straight into the string, which skips
    /// the standard library's own validation for strings of up to 15 bytes (stored inline).
    /// Anything else is validated here first (the standard library's generic
    /// `String(validating:as:)` is several times slower).
    @inlinable
    public static func string(validating bytes: UnsafeRawBufferPointer) -> String? {
        guard isASCII(bytes) || isValid(bytes) else { return nil }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            return bytes.count
        }
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

    /// Whether `bytes` are well-formed UTF-8 (RFC 3629): no overlong forms, no encoded
    /// UTF-16 surrogates, nothing above U+10FFFF, no truncated sequence.
    @usableFromInline
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard count - index >= length else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            var continuation = index + 2
            while continuation < index + length {
                guard bytes[continuation] & 0xC0 == 0x80 else { return false }
                continuation += 1
            }
            index += length
        }
        return true
    }
}
