/// Builds the header block a gRPC client sends.
public enum ClientRequestHead {
    /// The request headers for `path` on `authority`.
    public static func headers(path: String, authority: String, timeout: Duration?, metadata: Metadata) -> [HeaderField] {
        var fields = [HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", path),
                      HeaderField(":authority", authority), HeaderField("content-type", "application/grpc"),
                      HeaderField("te", "trailers"), HeaderField("user-agent", "fanheat-grpc/1.0"),
                      HeaderField("grpc-accept-encoding", "identity")]
        if let timeout { fields.append(HeaderField("grpc-timeout", GRPCTimeout.format(timeout))) }
        if !metadata.isEmpty { fields.append(contentsOf: metadata.headerFields) }
        return fields
    }
}
