import CNGHTTP2
import FanHeatRPC
import FanHeatSync

extension ServerConnection {
    /// Runs a `.unaryCallback` handler synchronously on the loop with the request bytes.
    func runUnaryCallback(_ stream: ServerStream,
                          handler: @Sendable (UnsafeRawBufferPointer, ServerContext, UnaryResponder) -> Void) {
        guard stream.hasUnaryRequest, let context = stream.context else {
            failCall(stream, error: RPCError(code: .unimplemented, message: "unary call ended without a request message"))
            return
        }
        stream.hasUnaryRequest = false
        let responder = UnaryResponder(target: self, callID: Int(stream.id))
        stream.unaryRequest.withUnsafeBytes { handler($0, context, responder) }
    }

    /// The responder's completion: on the loop at once, from elsewhere through the loop.
    func completeUnaryCall(_ callID: Int, result: Result<[UInt8], RPCError>) {
        let streamID = Int32(truncatingIfNeeded: callID)
        if loop.inEventLoop {
            completeUnary(streamID: streamID, result: result)
        } else {
            loop.execute { self.completeUnary(streamID: streamID, result: result) }
        }
    }

    /// Sends a unary response: headers, the message and OK trailers in one go.
    func completeUnary(streamID: Int32, result: Result<[UInt8], RPCError>) {
        guard let stream = stream(streamID), !stream.finished else { return }
        switch result {
        case .failure(let error):
            finish(stream, error: error)
        case .success(let message):
            stream.enqueue(message: message)
            sendHeadersIfNeeded(stream)
            finish(stream, error: nil)
        }
    }

    /// Starts a `.streaming` handler as a task with a flow-controlled request queue and a
    /// response writer that suspends while the client is not reading.
    func startStreamingHandler(
        _ stream: ServerStream,
        handler: @escaping @Sendable (RequestStream<[UInt8]>, ResponseWriter<[UInt8]>, ServerContext) async throws -> Void,
        context: ServerContext
    ) {
        let streamID = stream.id
        let loop = self.loop
        let queue = MessageQueue<[UInt8]> { message in
            let size = message.count + MessageFramer.prefixLength
            loop.execute { self.requestConsumed(streamID: streamID, size: size) }
        }
        stream.requestQueue = queue
        let writer = ResponseWriter<[UInt8]> { message in
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                loop.execute { self.write(message, streamID: streamID, continuation: continuation) }
            }
        }
        stream.task = Task {
            var failure: RPCError?
            do {
                try await handler(RequestStream(queue: queue), writer, context)
            } catch let error as RPCError {
                failure = error
            } catch is CancellationError {
                failure = RPCError(code: .cancelled, message: "the handler was cancelled")
            } catch {
                failure = RPCError(code: .unknown, message: "handler failed: \(error)")
            }
            let outcome = failure
            loop.execute { self.handlerFinished(streamID: streamID, error: outcome) }
        }
    }

    private func write(_ message: [UInt8], streamID: Int32, continuation: CheckedContinuation<Void, any Error>) {
        guard let stream = stream(streamID), !stream.finished else {
            continuation.resume(throwing: RPCError(code: .cancelled, message: "the call already ended"))
            return
        }
        stream.enqueue(message: message)
        sendHeadersIfNeeded(stream)
        resumeData(stream)
        scheduleFlush()
        if stream.outgoingCount > configuration.responseHighWater {
            stream.writeWaiters.append(continuation)
        } else {
            continuation.resume()
        }
    }

    func sendHeadersIfNeeded(_ stream: ServerStream) {
        guard !stream.headersSent else { return }
        stream.headersSent = true
        let metadata = stream.context?.responseMetadata ?? Metadata()
        let block = metadata.isEmpty ? HeaderBlock.okResponse : HeaderBlock(ServerResponseHead.headers(metadata))
        submitResponse(streamID: stream.id, block: block, withData: true)
    }

    func resumeData(_ stream: ServerStream) {
        if stream.dataDeferred {
            stream.dataDeferred = false
            nghttp2_session_resume_data(session, stream.id)
        }
    }

    func handlerFinished(streamID: Int32, error: RPCError?) {
        guard let stream = stream(streamID), !stream.finished else { return }
        finish(stream, error: error)
    }

    /// Ends a call with a status: trailers after the queued messages, or a trailers-only
    /// response when nothing was sent yet.
    func finish(_ stream: ServerStream, error: RPCError?) {
        stream.finished = true
        stream.deadlineTimer?.cancel()
        let code = error?.code ?? .ok
        let message = error?.message ?? ""
        var trailing = stream.context?.trailingMetadata ?? Metadata()
        if let error { for entry in error.metadata { trailing.add(entry) } }
        if !stream.headersSent {
            stream.headersSent = true
            let status = RPCError(code: code, message: message, metadata: trailing)
            let fields = ServerResponseHead.trailersOnly(status, initialMetadata: stream.context?.responseMetadata ?? Metadata())
            submitResponse(streamID: stream.id, block: HeaderBlock(fields), withData: false)
        } else {
            stream.pendingTrailers = code == .ok && trailing.isEmpty
                ? HeaderBlock.okTrailers
                : HeaderBlock(ServerResponseHead.trailers(code: code, message: message, metadata: trailing))
            resumeData(stream)
        }
        report(stream, code: code, message: message)
        scheduleFlush()
    }

    /// Ends a call with `error` and stops its handler.
    func failCall(_ stream: ServerStream, error: RPCError) {
        guard !stream.finished else { return }
        finish(stream, error: error)
        cancelHandler(stream, error: error)
    }

    /// Cancels the handler of a call: context, task, request queue and suspended writers.
    func cancelHandler(_ stream: ServerStream, error: RPCError) {
        stream.context?.cancel()
        stream.task?.cancel()
        stream.requestQueue?.fail(error)
        let waiters = stream.writeWaiters
        stream.writeWaiters = []
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    func deadlineExpired(_ streamID: Int32) {
        guard let stream = stream(streamID), !stream.finished else { return }
        failCall(stream, error: RPCError(code: .deadlineExceeded, message: "the call's deadline was exceeded"))
    }

    /// Tells the interceptors a call ended.
    func report(_ stream: ServerStream, code: StatusCode, message: String) {
        let interceptors = configuration.interceptors
        guard !interceptors.isEmpty else { return }
        let elapsed = MonotonicClock.now &- stream.startTime
        let call = FinishedCall(path: stream.path, method: stream.method, code: code, message: message,
                                duration: .nanoseconds(Int64(elapsed)), requestBytes: stream.requestBytes,
                                responseBytes: stream.responseBytes, peer: peer)
        for index in interceptors.indices { interceptors[index].finished(call) }
    }
}
