/// Minimal protobuf wire reading and writing for the runtime's own standard services
/// (health, reflection), so they work without generated code.
struct WireWriter {
    /// The encoded bytes.
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A varint field.
    mutating func field(_ number: Int, varint value: UInt64) {
        varint(UInt64(number << 3))
        varint(value)
    }

    /// A length-delimited field.
    mutating func field(_ number: Int, bytes value: [UInt8]) {
        varint(UInt64(number << 3 | 2))
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A string field.
    mutating func field(_ number: Int, string value: String) { field(number, bytes: Array(value.utf8)) }
}

/// One field read from a message.
enum WireValue {
    case varint(UInt64)
    case bytes([UInt8])
    case other
}

/// Reads the top-level fields of a message; `nil` if malformed.
func readWireFields(_ bytes: [UInt8]) -> [(number: Int, value: WireValue)]? {
    var fields: [(Int, WireValue)] = []
    var index = 0
    func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }
    while index < bytes.count {
        guard let key = varint() else { return nil }
        let number = Int(key >> 3)
        switch key & 7 {
        case 0:
            guard let value = varint() else { return nil }
            fields.append((number, .varint(value)))
        case 1:
            guard index + 8 <= bytes.count else { return nil }
            index += 8
            fields.append((number, .other))
        case 2:
            guard let length = varint(), length <= UInt64(bytes.count - index) else { return nil }
            fields.append((number, .bytes(Array(bytes[index..<(index + Int(length))]))))
            index += Int(length)
        case 5:
            guard index + 4 <= bytes.count else { return nil }
            index += 4
            fields.append((number, .other))
        default:
            return nil
        }
    }
    return fields
}
