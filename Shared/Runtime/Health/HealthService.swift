import FanHeatRPC

/// `grpc.health.v1.Health` per gRPC's health-checking protocol: `Check` answers the
/// current status (NOT_FOUND for unknown services); `Watch` sends the current status
/// (SERVICE_UNKNOWN for unknown services) and then every change.
struct HealthService: RegistrableService {
    static let serviceName = "grpc.health.v1.Health"
    let status: HealthStatus

    func registerMethods(with router: inout ServiceRouter) {
        let status = self.status
        router.register(service: Self.serviceName, method: "Check", kind: .unary, handler: .unaryCallback { bytes, _, responder in
            guard let service = Self.serviceName(in: Array(bytes)) else {
                responder.fail(RPCError(code: .invalidArgument, message: "request is not a valid grpc.health.v1.HealthCheckRequest"))
                return
            }
            guard let current = status.status(forService: service) else {
                responder.fail(RPCError(code: .notFound, message: "unknown service \(service)"))
                return
            }
            responder.succeed(serializedResponse: Self.response(current))
        })
        router.register(service: Self.serviceName, method: "Watch", kind: .serverStreaming, handler: .streaming { requests, responses, context in
            var iterator = requests.makeAsyncIterator()
            guard let request = try await iterator.next(), let service = Self.serviceName(in: request) else {
                throw RPCError(code: .invalidArgument, message: "request is not a valid grpc.health.v1.HealthCheckRequest")
            }
            let (updates, continuation) = AsyncStream<HealthStatus.ServingStatus>.makeStream()
            let (id, current) = status.watch(service) { continuation.yield($0) }
            context.onCancel { continuation.finish() }
            defer { status.unwatch(id) }
            var last = current
            try await responses.write(Self.response(current))
            for await update in updates {
                if update != last {
                    last = update
                    try await responses.write(Self.response(update))
                }
                if status.isShuttingDown { throw RPCError(code: .unavailable, message: "the server is shutting down") }
            }
            throw RPCError(code: .cancelled, message: "watch ended")
        })
    }

    /// The `service` field of a HealthCheckRequest; `nil` if malformed.
    static func serviceName(in bytes: [UInt8]) -> String? {
        guard let fields = readWireFields(bytes) else { return nil }
        var name = ""
        for field in fields where field.number == 1 {
            guard case .bytes(let value) = field.value else { return nil }
            name = String(decoding: value, as: UTF8.self)
        }
        return name
    }

    /// A HealthCheckResponse.
    static func response(_ status: HealthStatus.ServingStatus) -> [UInt8] {
        var writer = WireWriter()
        if status != .unknown { writer.field(1, varint: UInt64(status.rawValue)) }
        return writer.bytes
    }
}
