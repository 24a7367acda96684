import FanHeatRPC
import FanHeatStorage

/// The `fanheat.ingest.v1.ActivityIngest` service: Ingest (raw callback hot path),
/// IngestStream (client streaming) and Subscribe (server streaming from the log).
public final class ActivityIngestService: RegistrableService {
    /// The fully qualified service name.
    public static let serviceName = "fanheat.ingest.v1.ActivityIngest"
    /// Validation, deduplication and the durable log.
    public let pipeline: IngestPipeline
    /// How callers are authenticated.
    public let authentication: IngestAuthentication
    /// Default (and largest) number of activities in one Subscribe batch.
    public let defaultSubscribeBatch: Int
    /// Largest payload bytes in one Subscribe batch (stays well below gRPC's common 4 MiB limit).
    public let maxSubscribeBatchBytes: Int

    var developmentMode: Bool { if case .none = authentication { true } else { false } }

    /// Creates the service.
    public init(pipeline: IngestPipeline, authentication: IngestAuthentication,
                defaultSubscribeBatch: Int = 500, maxSubscribeBatchBytes: Int = 1 << 20) {
        self.pipeline = pipeline
        self.authentication = authentication
        self.defaultSubscribeBatch = defaultSubscribeBatch
        self.maxSubscribeBatchBytes = maxSubscribeBatchBytes
    }

    /// Registers Ingest, IngestStream and Subscribe.
    public func registerMethods(with router: inout ServiceRouter) {
        router.register(service: Self.serviceName, method: "Ingest", kind: .unary, handler: .unaryCallback { [self] bytes, context, responder in
            ingest(bytes, context: context, responder: responder)
        })
        router.register(service: Self.serviceName, method: "IngestStream", kind: .clientStreaming, handler: .streaming { [self] requests, responses, context in
            try await ingestStream(requests, responses: responses, context: context)
        })
        router.register(service: Self.serviceName, method: "Subscribe", kind: .serverStreaming, handler: .streaming { [self] requests, responses, context in
            try await subscribe(requests, responses: responses, context: context)
        })
    }
}
