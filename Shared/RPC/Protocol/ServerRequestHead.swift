/// What a valid gRPC request's headers say.
public struct ServerRequestHead: Sendable {
    /// The `:path`, e.g. `/pkg.Service/Method`.
    public var path: String
    /// Custom metadata.
    public var metadata: Metadata
    /// The `grpc-timeout`, if any.
    public var timeout: Duration?
}

/// Why a request's headers were refused, and the response that says so.
public struct ServerRequestRejection: Sendable, Error {
    /// The HTTP status (200 for gRPC-level errors sent trailers-only, 415 for a wrong content type).
    public var httpStatus: Int
    /// The gRPC status of the trailers-only response.
    public var error: RPCError

    /// The full header block to send (with END_STREAM).
    public var responseHeaders: [HeaderField] {
        if httpStatus == 200 { return ServerResponseHead.trailersOnly(error) }
        return [HeaderField(":status", String(httpStatus)), HeaderField("content-type", "application/grpc"),
                HeaderField("grpc-status", String(error.code.rawValue)),
                HeaderField("grpc-message", PercentEncoding.encode(error.message))]
    }
}

/// Collects a request's header fields one by one (as the HTTP/2 parser delivers
/// them) and validates them as a gRPC call.
public struct ServerRequestHeadParser: Sendable {
    private var method: String?
    private var path: String?
    private var contentType: String?
    private var encoding: String?
    private var timeoutValue: String?
    private var metadata = Metadata()
    private var invalidBinary: String?
    /// Bytes of header names and values seen, for the header list size limit.
    public private(set) var headerBytes = 0

    /// Creates an empty parser.
    public init() {}

    /// Adds one header field.
    public mutating func add(name: String, value: String) {
        headerBytes += name.utf8.count + value.utf8.count + 32
        switch name {
        case ":method": method = value
        case ":path": path = value
        case "content-type": contentType = value
        case "grpc-encoding": encoding = value
        case "grpc-timeout": timeoutValue = value
        default:
            if !metadata.addReceived(name: name, value: value) { invalidBinary = name }
        }
    }

    /// Request headers a transport can recognize by their bytes and hand over directly.
    public enum KnownHeader: Sendable {
        /// `:method`.
        case method
        /// `:path`.
        case path
        /// `content-type`.
        case contentType
        /// `grpc-timeout`.
        case timeout
    }

    /// Sets a recognized header: the same as ``add(name:value:)`` with its name, without
    /// comparing names (the transport's fast path). `nameLength` is the name's byte count.
    public mutating func set(_ header: KnownHeader, nameLength: Int, value: String) {
        headerBytes += nameLength + value.utf8.count + 32
        switch header {
        case .method: method = value
        case .path: path = value
        case .contentType: contentType = value
        case .timeout: timeoutValue = value
        }
    }

    /// Adds custom metadata whose name the transport knows to be lower-case, not reserved
    /// and not `-bin` (e.g. `user-agent`).
    public mutating func addPlainMetadata(name: String, value: String) {
        headerBytes += name.utf8.count + value.utf8.count + 32
        metadata.add(Metadata.Entry(key: name, value: .string(value)))
    }

    /// Counts a reserved header the parser ignores (`:scheme`, `:authority`, `te`) toward
    /// the header list size without looking at it: the transport's fast path.
    public mutating func addSkipped(nameLength: Int, valueLength: Int) {
        headerBytes += nameLength + valueLength + 32
    }

    /// Validates the collected headers (`mutating` only so a parser stored in a class is
    /// read in place rather than copied; it does not change the parser).
    public mutating func finish() -> Result<ServerRequestHead, ServerRequestRejection> {
        guard let contentType, contentType == "application/grpc" || contentType.hasPrefix("application/grpc+")
                || contentType.hasPrefix("application/grpc;") else {
            return .failure(ServerRequestRejection(httpStatus: 415, error: RPCError(
                code: .unknown, message: "unsupported content-type \(contentType ?? "(none)"); expected application/grpc")))
        }
        guard method == "POST" else {
            return .failure(rejection(.unimplemented, "gRPC requires POST, got \(method ?? "(none)")"))
        }
        guard let path, path.hasPrefix("/") else {
            return .failure(rejection(.unimplemented, "missing or malformed :path"))
        }
        if let encoding, encoding != "identity" {
            return .failure(rejection(.unimplemented, "grpc-encoding \(encoding) is not supported (only identity)"))
        }
        if let invalidBinary {
            return .failure(rejection(.internal, "metadata \(invalidBinary) is not valid base64"))
        }
        var timeout: Duration?
        if let timeoutValue {
            guard let parsed = GRPCTimeout.parse(timeoutValue) else {
                return .failure(rejection(.internal, "malformed grpc-timeout \(timeoutValue)"))
            }
            timeout = parsed
        }
        return .success(ServerRequestHead(path: path, metadata: metadata, timeout: timeout))
    }

    private func rejection(_ code: StatusCode, _ message: String) -> ServerRequestRejection {
        ServerRequestRejection(httpStatus: 200, error: RPCError(code: code, message: message))
    }
}
