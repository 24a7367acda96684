import FanHeatContracts
import FanHeatRPC

/// `grpc.testing.TestService` as gRPC's interop servers implement it
/// (doc/interop-test-descriptions.md, "Server" section).
struct TestServiceImplementation: Grpc_Testing_TestServiceService {
    /// Header echoed in the response headers (custom_metadata).
    static let echoInitialKey = "x-grpc-test-echo-initial"
    /// Header echoed in the trailers (custom_metadata).
    static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"

    /// A payload of `size` zero bytes.
    static func payload(size: Int32) -> Grpc_Testing_Payload {
        var payload = Grpc_Testing_Payload()
        payload.body = [UInt8](repeating: 0, count: Int(max(0, size)))
        return payload
    }

    /// Copies the echo headers of the request into the response metadata.
    static func echoMetadata(_ context: ServerContext) {
        if let initial = context.metadata.firstString(forKey: echoInitialKey) {
            var metadata = Metadata()
            metadata.addString(initial, forKey: echoInitialKey)
            context.responseMetadata = metadata
        }
        if let trailing = context.metadata.firstBinary(forKey: echoTrailingKey) {
            var metadata = Metadata()
            metadata.addBinary(trailing, forKey: echoTrailingKey)
            context.trailingMetadata = metadata
        }
    }

    /// The status a request asks for, if any.
    static func requestedStatus(_ status: Grpc_Testing_EchoStatus?) -> RPCError? {
        guard let status, status.code != 0 else { return nil }
        return RPCError(code: StatusCode(rawValue: Int(status.code)) ?? .unknown, message: status.message)
    }

    /// UnaryCall's logic, shared by the async and the event-loop forms.
    static func answer(_ request: Grpc_Testing_SimpleRequest, context: ServerContext) -> Result<Grpc_Testing_SimpleResponse, RPCError> {
        echoMetadata(context)
        if let error = requestedStatus(request.responseStatus) { return .failure(error) }
        if request.expectCompressed?.value == true {
            return .failure(RPCError(code: .invalidArgument, message: "compressed requests are not supported"))
        }
        var response = Grpc_Testing_SimpleResponse()
        if request.responseSize > 0 || request.payload != nil { response.payload = payload(size: request.responseSize) }
        return .success(response)
    }

    func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Grpc_Testing_Empty()
    }

    func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try Self.answer(request, context: context).get()
    }

    func cacheableUnaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try Self.answer(request, context: context).get()
    }

    func streamingOutputCall(request: Grpc_Testing_StreamingOutputCallRequest,
                             responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
                             context: ServerContext) async throws {
        Self.echoMetadata(context)
        try await Self.respond(to: request, with: responses)
    }

    func streamingInputCall(requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>,
                            context: ServerContext) async throws -> Grpc_Testing_StreamingInputCallResponse {
        var total: Int32 = 0
        for try await request in requests { total += Int32(request.payload?.body.count ?? 0) }
        var response = Grpc_Testing_StreamingInputCallResponse()
        response.aggregatedPayloadSize = total
        return response
    }

    func fullDuplexCall(requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
                        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
                        context: ServerContext) async throws {
        Self.echoMetadata(context)
        for try await request in requests { try await Self.respond(to: request, with: responses) }
    }

    func halfDuplexCall(requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
                        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
                        context: ServerContext) async throws {
        var buffered: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await request in requests { buffered.append(request) }
        for request in buffered { try await Self.respond(to: request, with: responses) }
    }

    func unimplementedMethod(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(code: .unimplemented, message: "UnimplementedMethod is not implemented, as the interop spec requires")
    }

    private static func respond(to request: Grpc_Testing_StreamingOutputCallRequest,
                                with responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>) async throws {
        if let error = requestedStatus(request.responseStatus) { throw error }
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(Int(parameters.intervalUs))) }
            var response = Grpc_Testing_StreamingOutputCallResponse()
            response.payload = payload(size: parameters.size)
            try await responses.write(response)
        }
    }
}
