/// The counts of an `IngestResponse` read straight from its wire bytes (accepted,
/// duplicates, number of rejections), without decoding it into a message: the load tool
/// shares the machine's cores with the server, so its per-call cost is kept small.
struct ResponseCounts {
    /// `accepted`: activities newly stored.
    var accepted: UInt64 = 0
    /// `duplicates`: activities stored earlier.
    var duplicates: UInt64 = 0
    /// How many `rejections` entries the response carries.
    var rejections: UInt64 = 0

    /// Scans `bytes`; nil when they are not a valid `IngestResponse`.
    init?(_ bytes: [UInt8]) {
        var position = 0
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count && shift < 64 {
                let byte = bytes[position]
                position += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }
        while position < bytes.count {
            guard let tag = varint() else { return nil }
            switch (tag >> 3, tag & 7) {
            case (1, 0): guard let value = varint() else { return nil }; accepted = value
            case (2, 0): guard let value = varint() else { return nil }; duplicates = value
            case (_, 0): guard varint() != nil else { return nil }
            case (let field, 2):
                guard let length = varint(), length <= UInt64(bytes.count - position) else { return nil }
                position += Int(length)
                if field == 3 { rejections += 1 }
            case (_, 1): position += 8
            case (_, 5): position += 4
            default: return nil
            }
        }
        if position > bytes.count { return nil }
    }
}
