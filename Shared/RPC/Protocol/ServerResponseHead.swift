/// Builds the header blocks a gRPC server sends.
public enum ServerResponseHead {
    /// Response headers: `:status 200`, `content-type`, then custom metadata.
    public static func headers(_ metadata: Metadata) -> [HeaderField] {
        var fields = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc"),
                      HeaderField("grpc-accept-encoding", "identity")]
        if !metadata.isEmpty { fields.append(contentsOf: metadata.headerFields) }
        return fields
    }

    /// Trailers carrying the status (and custom trailing metadata).
    public static func trailers(code: StatusCode, message: String, metadata: Metadata) -> [HeaderField] {
        var fields = [HeaderField("grpc-status", String(code.rawValue))]
        if !message.isEmpty { fields.append(HeaderField("grpc-message", PercentEncoding.encode(message))) }
        if !metadata.isEmpty { fields.append(contentsOf: metadata.headerFields) }
        return fields
    }

    /// A trailers-only response: one header block with the status and END_STREAM.
    public static func trailersOnly(_ error: RPCError, initialMetadata: Metadata = Metadata()) -> [HeaderField] {
        var fields = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]
        if !initialMetadata.isEmpty { fields.append(contentsOf: initialMetadata.headerFields) }
        fields.append(contentsOf: trailers(code: error.code, message: error.message, metadata: error.metadata))
        return fields
    }
}
