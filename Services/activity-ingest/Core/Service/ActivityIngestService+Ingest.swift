import FanHeatRPC
import FanHeatStorage

extension ActivityIngestService {
    /// Unary Ingest on the event loop: validates and appends in place, answers from the
    /// group-commit thread once the covering fdatasync returned. A key not yet cached is
    /// verified in a task (the request bytes are copied only then).
    func ingest(_ bytes: UnsafeRawBufferPointer, context: ServerContext, responder: UnaryResponder) {
        if let cached = authentication.cachedCaller(context.metadata) {
            switch cached {
            case .failure(let error): responder.fail(error)
            case .success(let caller): ingest(bytes, caller: caller, responder: responder)
            }
            return
        }
        let copy = [UInt8](bytes)
        let metadata = context.metadata
        Task { [self] in
            do throws(RPCError) {
                let caller = try await authentication.caller(metadata)
                copy.withUnsafeBytes { ingest($0, caller: caller, responder: responder) }
            } catch {
                responder.fail(error)
            }
        }
    }

    private func ingest(_ bytes: UnsafeRawBufferPointer, caller: IngestAuthentication.Caller, responder: UnaryResponder) {
        let scope: IngestScope
        do throws(RPCError) { scope = try caller.writeScope(developmentMode: developmentMode) } catch {
            responder.fail(error)
            return
        }
        var summary = IngestSummary()
        if let error = pipeline.ingest(bytes, scope: scope, into: &summary) {
            responder.fail(error)
            return
        }
        let response = summary.encodedResponse()
        pipeline.log.whenDurable(through: summary.durableTarget) { failure in
            if let failure {
                responder.fail(RPCError(code: .unavailable, message: "the activity log could not make the batch durable: \(failure.description)"))
            } else {
                responder.succeed(serializedResponse: response)
            }
        }
    }

    /// IngestStream: every message goes through the same pipeline; one summary (rejection
    /// indexes counted across the stream) is sent at half-close once all of it is durable.
    /// A stream failing part-way may have stored its earlier messages; a resend is
    /// acknowledged as duplicates.
    func ingestStream(_ requests: RequestStream<[UInt8]>, responses: ResponseWriter<[UInt8]>, context: ServerContext) async throws {
        let scope = try await authentication.caller(context.metadata).writeScope(developmentMode: developmentMode)
        var summary = IngestSummary()
        for try await message in requests {
            if let error = message.withUnsafeBytes({ pipeline.ingest($0, scope: scope, into: &summary) }) { throw error }
        }
        do throws(LogError) {
            try await pipeline.log.waitUntilDurable(through: summary.durableTarget)
        } catch {
            throw RPCError(code: .unavailable, message: "the activity log could not make the stream durable: \(error.description)")
        }
        try await responses.write(summary.encodedResponse())
    }
}
