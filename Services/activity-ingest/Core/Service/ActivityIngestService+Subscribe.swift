import FanHeatRPC
import FanHeatStorage

extension ActivityIngestService {
    /// Subscribe: streams durable records from `from_offset`, then tails new ones. Each
    /// subscriber reads the segment files at its own pace and `write` waits on HTTP/2 flow
    /// control, so a slow consumer never slows ingest. A club key sees only its club's
    /// activities (offsets of others are skipped); the admin key sees every club.
    func subscribe(_ requests: RequestStream<[UInt8]>, responses: ResponseWriter<[UInt8]>, context: ServerContext) async throws {
        let caller = try await authentication.caller(context.metadata)
        var iterator = requests.makeAsyncIterator()
        guard let message = try await iterator.next() else {
            throw RPCError(code: .invalidArgument, message: "Subscribe needs one SubscribeRequest")
        }
        let request = try message.withUnsafeBytes { bytes throws(RPCError) in try SubscribeRequestFields(bytes) }
        let batch = request.maxBatch == 0 ? defaultSubscribeBatch : min(Int(request.maxBatch), 10_000)
        let club: [UInt8]? = if case .club(let scope) = caller { scope.clubID } else { nil }
        let log = pipeline.log
        switch log.checkReadable(from: request.fromOffset) {
        case .beforeRetention(let earliest)?:
            throw RPCError(code: .outOfRange, message: "from_offset \(request.fromOffset) is no longer retained; the earliest offset is \(earliest)")
        case .beyondEnd(let end)?:
            throw RPCError(code: .outOfRange, message: "from_offset \(request.fromOffset) is beyond the end of the log (next offset \(end)); the earliest offset is \(log.earliestOffset)")
        case nil:
            break
        }
        let loop = Task { [self] in
            try await stream(from: request.fromOffset, batch: batch, club: club, log: log, responses: responses)
        }
        context.onCancel { loop.cancel() }
        try await withTaskCancellationHandler { try await loop.value } onCancel: { loop.cancel() }
    }

    private func stream(from offset: UInt64, batch: Int, club: [UInt8]?, log: ActivityLog, responses: ResponseWriter<[UInt8]>) async throws {
        var next = offset
        while !Task.isCancelled {
            var encoder = ActivityBatchEncoder()
            var scannedThrough = next
            let count: Int
            do throws(LogError) {
                count = try log.read(from: next, maxCount: batch, maxBytes: maxSubscribeBatchBytes) { record in
                    scannedThrough = record.offset + 1
                    if let club, !Self.belongs(record.payload, to: club) { return }
                    encoder.append(record)
                }
            } catch {
                throw RPCError(code: .outOfRange, message: "offset \(next) is no longer retained; the earliest offset is \(log.earliestOffset)")
            }
            if count == 0 {
                await log.waitForRecords(from: next)
                continue
            }
            next = scannedThrough
            if encoder.count > 0 { try await responses.write(encoder.bytes) }
        }
    }

    /// Whether a stored Activity's club_id equals `club`.
    static func belongs(_ payload: UnsafeRawBufferPointer, to club: [UInt8]) -> Bool {
        var scanner = WireScanner(payload)
        var found: Range<Int>?
        do throws(WireScanner.Malformed) {
            while !scanner.isAtEnd {
                let (field, type) = try scanner.readTag()
                if field == 2 && type == .lengthDelimited { found = try scanner.readLengthDelimited() } else { try scanner.skip(type) }
            }
        } catch {
            return false
        }
        guard let found else { return false }
        return scanner.slice(found).elementsEqual(club)
    }
}
