import FanHeatContracts
import FanHeatRPC
import FanHeatTransport

/// Creates clubs, one API key each and `members` active members per club through
/// identity (admin key), so a load test is one command on a fresh stack.
struct IdentityPreparer {
    let channel: HTTP2ClientChannel
    let adminKey: String

    func prepare(clubs: Int, members: Int, tag: String, progress: @escaping @Sendable (String) -> Void) async throws -> [(club: String, apiKey: String)] {
        let client = Fanheat_Identity_V1_IdentityServiceClient(channel: channel)
        var metadata = Metadata()
        metadata.addString("Bearer \(adminKey)", forKey: "authorization")
        let options = CallOptions(timeout: .seconds(30), metadata: metadata)
        var prepared: [(club: String, apiKey: String)] = []
        for index in 0..<clubs {
            var create = Fanheat_Identity_V1_CreateClubRequest()
            create.clubID = "load-\(tag)-\(index)"
            create.name = "Load test club \(index) (\(tag))"
            create.timeZone = "Asia/Tokyo"
            let club = try await client.createClub(create, options: options).club?.clubID ?? create.clubID
            var key = Fanheat_Identity_V1_CreateApiKeyRequest()
            key.clubID = club
            key.name = "fanheat-load"
            let secret = try await client.createApiKey(key, options: options).secret
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func add() {
                    let member = next
                    next += 1
                    group.addTask {
                        var join = Fanheat_Identity_V1_JoinMemberRequest()
                        join.clubID = club
                        join.memberID = WorkloadGenerator.memberID(member)
                        _ = try await client.joinMember(join, options: options)
                    }
                }
                while next < min(members, 64) { add() }
                var done = 0
                while try await group.next() != nil {
                    done += 1
                    if done % 10_000 == 0 { progress("club \(club): \(done)/\(members) members joined") }
                    if next < members { add() }
                }
            }
            progress("club \(club): \(members) members joined")
            prepared.append((club, secret))
        }
        return prepared
    }
}
