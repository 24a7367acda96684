/// One HTTP/2 header field as sent or received; names are lower-case.
public struct HeaderField: Sendable, Hashable {
    /// The lower-case name.
    public var name: String
    /// The value.
    public var value: String

    /// Creates a field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Metadata {
    /// Whether `name` is an HTTP/2 or gRPC reserved header rather than custom metadata.
    public static func isReserved(_ name: String) -> Bool {
        var utf8 = name.utf8.makeIterator()
        switch utf8.next() {
        case UInt8(ascii: ":"): return true
        case UInt8(ascii: "g"): if name.utf8.starts(with: "grpc-".utf8) { return true }
        case UInt8(ascii: "c"), UInt8(ascii: "t"), UInt8(ascii: "h"), UInt8(ascii: "k"), UInt8(ascii: "u"),
             UInt8(ascii: "p"): break
        default: return false
        }
        switch name {
        case "content-type", "te", "content-length", "connection", "host", "transfer-encoding", "keep-alive",
             "upgrade", "proxy-connection":
            return true
        default:
            return false
        }
    }

    /// Adds one received header as metadata: reserved names are skipped and `-bin`
    /// values are base64-decoded (padded or not). Returns false for an invalid `-bin` value.
    @discardableResult
    public mutating func addReceived(name: String, value: String) -> Bool {
        guard !Self.isReserved(name) else { return true }
        if name.utf8.count >= 4 && name.utf8.reversed().starts(with: "nib-".utf8) {
            guard let bytes = Base64.decode(value) else { return false }
            addBinary(bytes, forKey: name)
        } else {
            // HTTP/2 names arrive lower-case (nghttp2 refuses others): lower only if needed
            let key = name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? name.lowercased() : name
            add(Entry(key: key, value: .string(value)))
        }
        return true
    }

    /// The entries as header fields (`-bin` values base64-encoded); reserved names are dropped.
    public var headerFields: [HeaderField] {
        var fields: [HeaderField] = []
        fields.reserveCapacity(count)
        for entry in self where !Self.isReserved(entry.key) {
            switch entry.value {
            case .string(let value): fields.append(HeaderField(entry.key, value))
            case .binary(let bytes): fields.append(HeaderField(entry.key, Base64.encode(bytes)))
            }
        }
        return fields
    }
}
