import FanHeatProtobuf

/// The counts of an `IngestResponse` read straight from its wire bytes (accepted,
/// duplicates, number of rejections) with the codec's reader, without decoding it into a
/// message: the load tool shares the machine's cores with the server, so its per-call
/// cost is kept small (no rejection strings are built).
struct ResponseCounts {
    /// `accepted`: activities newly stored.
    var accepted: UInt64 = 0
    /// `duplicates`: activities stored earlier.
    var duplicates: UInt64 = 0
    /// How many `rejections` entries the response carries.
    var rejections: UInt64 = 0

    /// Scans `bytes`; nil when they are not a valid `IngestResponse`.
    init?(_ bytes: [UInt8]) {
        let scanned: ResponseCounts? = bytes.withUnsafeBytes { raw in
            var counts = ResponseCounts()
            var reader = ProtobufReader(buffer: raw)
            do throws(ProtobufDecodingError) {
                while reader.hasRemaining {
                    let tag = try reader.readTag()
                    switch tag {
                    case 1 << 3 | 0: counts.accepted = try reader.readVarint()
                    case 2 << 3 | 0: counts.duplicates = try reader.readVarint()
                    case 3 << 3 | 2: _ = try reader.readLengthDelimitedBytes(); counts.rejections += 1
                    default: try reader.skipFieldValue()
                    }
                }
            } catch {
                return nil
            }
            return counts
        }
        guard let scanned else { return nil }
        self = scanned
    }

    private init() {}
}
