/// Collects a response's header or trailer fields and interprets them as the
/// client side of a gRPC call.
public struct ClientResponseHeadParser: Sendable {
    private var httpStatus: String?
    private var contentType: String?
    private var grpcStatus: String?
    private var grpcMessage: String?
    /// Custom metadata seen in this block.
    public private(set) var metadata = Metadata()

    /// Creates an empty parser.
    public init() {}

    /// Adds one header field.
    public mutating func add(name: String, value: String) {
        switch name {
        case ":status": httpStatus = value
        case "content-type": contentType = value
        case "grpc-status": grpcStatus = value
        case "grpc-message": grpcMessage = value
        default: metadata.addReceived(name: name, value: value)
        }
    }

    /// Whether the block carried a `grpc-status` (trailers, or a trailers-only response).
    public var hasStatus: Bool { grpcStatus != nil }

    /// Validates a response-headers block: `nil` when the call may proceed, else the status
    /// that ends it (non-200 HTTP status mapped per gRPC's HTTP-to-gRPC table, bad content type).
    public func headersError() -> RPCError? {
        guard let httpStatus else { return RPCError(code: .internal, message: "response without :status") }
        if httpStatus != "200" {
            return RPCError(code: Self.code(forHTTPStatus: httpStatus), message: "HTTP status \(httpStatus)")
        }
        if !hasStatus {
            guard let contentType, contentType.hasPrefix("application/grpc") else {
                return RPCError(code: .unknown, message: "unexpected content-type \(contentType ?? "(none)")")
            }
        }
        return nil
    }

    /// The status a trailers (or trailers-only) block carries.
    public func status() -> RPCError {
        guard let grpcStatus else {
            return RPCError(code: .internal, message: "trailers without grpc-status", metadata: metadata)
        }
        let code = Int(grpcStatus).flatMap(StatusCode.init(rawValue:)) ?? .unknown
        return RPCError(code: code, message: PercentEncoding.decode(grpcMessage ?? ""), metadata: metadata)
    }

    /// gRPC's mapping of HTTP statuses for responses that are not gRPC.
    public static func code(forHTTPStatus status: String) -> StatusCode {
        switch status {
        case "400": .internal
        case "401": .unauthenticated
        case "403": .permissionDenied
        case "404": .unimplemented
        case "429", "502", "503", "504": .unavailable
        default: .unknown
        }
    }
}
