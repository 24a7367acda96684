import FanHeatContracts
import FanHeatRPC

extension IdentityServiceProvider {
    /// Handles `WatchMemberships`: a snapshot (or a replay from `from_revision`), the
    /// SNAPSHOT_COMPLETE marker, then live changes until the client goes away.
    public func watchMemberships(request: Fanheat_Identity_V1_WatchMembershipsRequest,
                                 responses: ResponseWriter<Fanheat_Identity_V1_WatchMembershipsResponse>,
                                 context: ServerContext) async throws {
        let caller = try caller(context)
        let clubID = try store.feedScope(caller: caller, clubID: request.clubID)
        guard request.fromRevision <= UInt64(Int64.max) else {
            throw Validator.invalid("from_revision", "\(request.fromRevision) is too large")
        }
        let store = self.store
        let batchSize = feedBatchSize
        let task = Task {
            var next: Int64
            if request.fromRevision == 0 {
                let head = try store.headRevision()
                try await Self.sendSnapshot(store: store, clubID: clubID, batchSize: batchSize, responses: responses)
                try await responses.write(Self.completeMarker(revision: head))
                next = head + 1
            } else {
                next = Int64(request.fromRevision)
                while true {
                    let batch = try store.changes(clubID: clubID, fromRevision: next, limit: batchSize)
                    for change in batch { try await responses.write(Self.message(change)) }
                    if let last = batch.last { next = last.revision + 1 }
                    if batch.count < batchSize { break }
                }
                try await responses.write(Self.completeMarker(revision: max(next - 1, 0)))
            }
            while !Task.isCancelled {
                if store.notifier.isClosed {
                    throw RPCError(code: .unavailable, message: "identity is shutting down; reconnect with from_revision \(next)")
                }
                let seen = store.notifier.latest
                let batch = try store.changes(clubID: clubID, fromRevision: next, limit: batchSize)
                if batch.isEmpty {
                    await store.notifier.wait(after: seen)
                    continue
                }
                for change in batch { try await responses.write(Self.message(change)) }
                next = batch[batch.count - 1].revision + 1
            }
        }
        context.onCancel { task.cancel() }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    static func sendSnapshot(store: IdentityStore, clubID: String?, batchSize: Int,
                             responses: ResponseWriter<Fanheat_Identity_V1_WatchMembershipsResponse>) async throws {
        var afterClub = ""
        var afterMember = ""
        while true {
            let page = try store.snapshotPage(clubID: clubID, afterClub: afterClub, afterMember: afterMember, limit: batchSize)
            for member in page {
                var message = Fanheat_Identity_V1_WatchMembershipsResponse()
                message.revision = UInt64(max(member.revision, 0))
                message.kind = .snapshot
                message.member = IdentityContractMapping.member(member)
                message.occurredAtMs = member.updatedAt
                try await responses.write(message)
            }
            guard page.count == batchSize, let last = page.last else { return }
            afterClub = last.clubID
            afterMember = last.memberID
        }
    }

    static func completeMarker(revision: Int64) -> Fanheat_Identity_V1_WatchMembershipsResponse {
        var message = Fanheat_Identity_V1_WatchMembershipsResponse()
        message.revision = UInt64(max(revision, 0))
        message.kind = .snapshotComplete
        return message
    }

    static func message(_ change: MembershipChange) -> Fanheat_Identity_V1_WatchMembershipsResponse {
        var message = Fanheat_Identity_V1_WatchMembershipsResponse()
        message.revision = UInt64(max(change.revision, 0))
        message.kind = Fanheat_Identity_V1_MembershipEventKind(rawValue: Int32(change.kind.rawValue))
        message.member = change.member.map(IdentityContractMapping.member(_:))
        message.occurredAtMs = change.occurredAt
        return message
    }
}
