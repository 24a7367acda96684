import CNGHTTP2
import FanHeatRPC

/// A header list laid out as an `nghttp2_nv` array over one byte buffer, ready to
/// submit. nghttp2 copies submitted headers, so a block may be reused (the common
/// response blocks are built once).
final class HeaderBlock: @unchecked Sendable {
    private let bytes: UnsafeMutablePointer<UInt8>
    /// The name/value array.
    let pairs: UnsafeMutablePointer<nghttp2_nv>
    /// The number of pairs.
    let count: Int

    /// Lays out `fields` (names must already be lower-case). A `permanent` block lives as
    /// long as the process, so nghttp2 may keep pointers to its bytes instead of copying them.
    init(_ fields: [HeaderField], permanent: Bool = false) {
        let flags = permanent ? UInt8(NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue)
            : UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
        var total = 0
        for field in fields { total += field.name.utf8.count + field.value.utf8.count }
        bytes = .allocate(capacity: max(1, total))
        pairs = .allocate(capacity: max(1, fields.count))
        count = fields.count
        var offset = 0
        for (position, field) in fields.enumerated() {
            let nameStart = bytes + offset
            for byte in field.name.utf8 { bytes[offset] = byte; offset += 1 }
            let valueStart = bytes + offset
            for byte in field.value.utf8 { bytes[offset] = byte; offset += 1 }
            pairs[position] = nghttp2_nv(name: nameStart, value: valueStart, namelen: field.name.utf8.count,
                                         valuelen: field.value.utf8.count, flags: flags)
        }
    }

    deinit {
        bytes.deallocate()
        pairs.deallocate()
    }

    /// `:status 200`, `content-type: application/grpc`, no custom metadata.
    static let okResponse = HeaderBlock(ServerResponseHead.headers(Metadata()), permanent: true)
    /// `grpc-status: 0`.
    static let okTrailers = HeaderBlock([HeaderField("grpc-status", "0")], permanent: true)
}
