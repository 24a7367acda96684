import FanHeatRPC

extension ServerConnection {
    /// Feeds one request header to the parser, recognizing the usual names by their bytes:
    /// reserved headers the gRPC parser ignores (`:scheme`, `:authority`, `te`,
    /// `content-length`; nghttp2 already checked them as HTTP) are only counted, the usual
    /// values (`POST`, `application/grpc`) become literal Strings, and no name is compared
    /// as a String.
    func addRequestHeader(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 2 where name.equals("te"),
             7 where name.equals(":scheme"),
             10 where name.equals(":authority"),
             14 where name.equals("content-length"):
            requestParser.addSkipped(nameLength: name.count, valueLength: value.count)
        case 5 where name.equals(":path"):
            requestParser.set(.path, nameLength: 5, value: headerStrings.string(value))
        case 7 where name.equals(":method"):
            requestParser.set(.method, nameLength: 7, value: value.equals("POST") ? "POST" : headerStrings.string(value))
        case 10 where name.equals("user-agent"):
            requestParser.addPlainMetadata(name: "user-agent", value: headerStrings.string(value))
        case 12 where name.equals("content-type"):
            requestParser.set(.contentType, nameLength: 12,
                              value: value.equals("application/grpc") ? "application/grpc" : headerStrings.string(value))
        case 12 where name.equals("grpc-timeout"):
            requestParser.set(.timeout, nameLength: 12, value: headerStrings.string(value))
        default:
            requestParser.add(name: headerStrings.string(name), value: headerStrings.string(value))
        }
    }
}
