import FanHeatContracts
import FanHeatRPC

/// The reference peers' `fanheat.ingest.v1.ActivityIngest` logic (shared/peers): decode,
/// count, reject an empty `member_id`; nothing is stored. `Ingest` is re-registered as an
/// event-loop callback in main.swift; this type serves the streaming methods.
struct IngestCounter: Fanheat_Ingest_V1_ActivityIngestService {
    /// The rejection reason the peers use.
    static let reason = "member_id is empty"

    /// Counts `request` into `response`; `base` offsets rejection indexes (streams).
    static func count(_ request: Fanheat_Ingest_V1_IngestRequest, into response: inout Fanheat_Ingest_V1_IngestResponse,
                      base: Int) {
        var accepted: UInt32 = 0
        for (index, activity) in request.activities.enumerated() {
            if activity.memberID.isEmpty {
                var rejection = Fanheat_Ingest_V1_Rejection()
                rejection.index = UInt32(base + index)
                rejection.reason = reason
                response.rejections.append(rejection)
            } else {
                accepted += 1
            }
        }
        response.accepted += accepted
    }

    /// Counts one batch.
    func ingest(request: Fanheat_Ingest_V1_IngestRequest, context: ServerContext) async throws -> Fanheat_Ingest_V1_IngestResponse {
        var response = Fanheat_Ingest_V1_IngestResponse()
        Self.count(request, into: &response, base: 0)
        return response
    }

    /// Counts every batch of the stream; rejection indexes run across the stream.
    func ingestStream(requests: RequestStream<Fanheat_Ingest_V1_IngestRequest>,
                      context: ServerContext) async throws -> Fanheat_Ingest_V1_IngestResponse {
        var response = Fanheat_Ingest_V1_IngestResponse()
        var base = 0
        for try await request in requests {
            Self.count(request, into: &response, base: base)
            base += request.activities.count
        }
        return response
    }

    /// Not served by the benchmark peer.
    func subscribe(request: Fanheat_Ingest_V1_SubscribeRequest, responses: ResponseWriter<Fanheat_Ingest_V1_ActivityBatch>,
                   context: ServerContext) async throws {
        throw RPCError(code: .unimplemented, message: "the benchmark server serves ingest only")
    }
}
