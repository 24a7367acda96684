import FanHeatContracts
import FanHeatRPC

/// Keeps a ``MembershipDirectory`` current from identity's `WatchMemberships` stream
/// (every club, as the admin key): a snapshot first, then live changes; after a broken
/// stream it reconnects with backoff and resumes from the last applied revision (a
/// resume identity cannot serve falls back to a fresh snapshot).
public final class MembershipFeed: Sendable {
    private let client: Fanheat_Identity_V1_IdentityServiceClient
    private let adminKey: String
    /// The cache this feed fills.
    public let directory: MembershipDirectory
    private let log: @Sendable (String) -> Void

    /// Creates a feed over a channel to identity.
    public init(channel: any ClientChannel, adminKey: String, directory: MembershipDirectory,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        client = Fanheat_Identity_V1_IdentityServiceClient(channel: channel)
        self.adminKey = adminKey
        self.directory = directory
        self.log = log
    }

    /// Watches until the task is cancelled, reconnecting as needed.
    public func run() async {
        var backoff: Duration = .milliseconds(100)
        var forceSnapshot = false
        while !Task.isCancelled {
            let resumeFrom: UInt64 = (directory.isReady && !forceSnapshot) ? directory.revision + 1 : 0
            do {
                try await watch(from: resumeFrom)
                backoff = .milliseconds(100)
            } catch let error as RPCError where error.code == .outOfRange || error.code == .failedPrecondition || error.code == .invalidArgument {
                log("membership feed: resume from revision \(resumeFrom) refused (\(error)); taking a fresh snapshot")
                forceSnapshot = true
                continue
            } catch {
                log("membership feed: stream ended (\(error)); reconnecting in \(backoff)")
            }
            forceSnapshot = false
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    private func watch(from revision: UInt64) async throws {
        var request = Fanheat_Identity_V1_WatchMembershipsRequest()
        request.fromRevision = revision
        var metadata = Metadata()
        metadata.addString("Bearer \(adminKey)", forKey: "authorization")
        let directory = self.directory
        let log = self.log
        if revision == 0 { directory.beginSnapshot() }
        log("membership feed: watching from revision \(revision)")
        try await client.watchMemberships(request, options: CallOptions(metadata: metadata)) { responses in
            for try await event in responses {
                switch event.kind {
                case .snapshotComplete:
                    directory.completeSnapshot(revision: event.revision)
                    log("membership feed: snapshot complete at revision \(event.revision)")
                case .snapshot, .joined, .updated, .rejoined, .withdrawn, .erased:
                    guard let member = event.member else { continue }
                    let active = event.kind != .withdrawn && event.kind != .erased && member.state == .active
                    directory.apply(club: member.clubID, member: member.memberID, active: active, revision: event.revision)
                default:
                    continue
                }
            }
        }
    }
}
