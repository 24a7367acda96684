import FanHeatContracts
import FanHeatRPC

extension IdentityServiceProvider {
    /// Handles `JoinMember`.
    public func joinMember(request: Fanheat_Identity_V1_JoinMemberRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_JoinMemberResponse {
        let member = try store.joinMember(caller: try caller(context), clubID: request.clubID, memberID: request.memberID,
                                          profile: IdentityContractMapping.profile(request.profile))
        var response = Fanheat_Identity_V1_JoinMemberResponse()
        response.member = IdentityContractMapping.member(member)
        return response
    }

    /// Handles `GetMember`.
    public func getMember(request: Fanheat_Identity_V1_GetMemberRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_GetMemberResponse {
        let member = try store.member(caller: try caller(context), clubID: request.clubID, memberID: request.memberID)
        var response = Fanheat_Identity_V1_GetMemberResponse()
        response.member = IdentityContractMapping.member(member)
        return response
    }

    /// Handles `ListMembers`.
    public func listMembers(request: Fanheat_Identity_V1_ListMembersRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_ListMembersResponse {
        let page = try store.listMembers(caller: try caller(context), clubID: request.clubID, pageSize: Int(request.pageSize),
                                         after: try IdentityContractMapping.pagePosition(request.pageToken))
        var response = Fanheat_Identity_V1_ListMembersResponse()
        response.members = page.members.map(IdentityContractMapping.member(_:))
        response.nextPageToken = IdentityContractMapping.pageToken(page.last)
        return response
    }

    /// Handles `UpdateMember`.
    public func updateMember(request: Fanheat_Identity_V1_UpdateMemberRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_UpdateMemberResponse {
        let caller = try caller(context)
        let fields = try IdentityContractMapping.profileFields(mask: request.updateMask, profile: request.profile)
        let member = try store.updateMember(caller: caller, clubID: request.clubID, memberID: request.memberID,
                                            profile: IdentityContractMapping.profile(request.profile), fields: fields)
        var response = Fanheat_Identity_V1_UpdateMemberResponse()
        response.member = IdentityContractMapping.member(member)
        return response
    }

    /// Handles `WithdrawMember`: every token of the member stops working at once.
    public func withdrawMember(request: Fanheat_Identity_V1_WithdrawMemberRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_WithdrawMemberResponse {
        let outcome = try store.withdrawMember(caller: try caller(context), clubID: request.clubID, memberID: request.memberID)
        var response = Fanheat_Identity_V1_WithdrawMemberResponse()
        response.member = IdentityContractMapping.member(outcome.member)
        response.revokedTokens = UInt32(outcome.revokedTokens)
        return response
    }

    /// Handles `RejoinMember`.
    public func rejoinMember(request: Fanheat_Identity_V1_RejoinMemberRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_RejoinMemberResponse {
        let outcome = try store.rejoinMember(caller: try caller(context), clubID: request.clubID, memberID: request.memberID)
        var response = Fanheat_Identity_V1_RejoinMemberResponse()
        response.member = IdentityContractMapping.member(outcome.member)
        response.keptMembershipNumber = outcome.keptMembershipNumber
        return response
    }

    /// Handles `EraseMember`.
    public func eraseMember(request: Fanheat_Identity_V1_EraseMemberRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_EraseMemberResponse {
        let member = try store.eraseMember(caller: try caller(context), clubID: request.clubID, memberID: request.memberID)
        var response = Fanheat_Identity_V1_EraseMemberResponse()
        response.member = IdentityContractMapping.member(member)
        return response
    }

    /// Handles `IssueMemberToken`.
    public func issueMemberToken(request: Fanheat_Identity_V1_IssueMemberTokenRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_IssueMemberTokenResponse {
        let issued = try store.issueMemberToken(caller: try caller(context), clubID: request.clubID, memberID: request.memberID,
                                                ttlSeconds: request.ttlSeconds)
        var response = Fanheat_Identity_V1_IssueMemberTokenResponse()
        response.token = issued.token
        response.tokenID = issued.tokenID
        response.expiresAtMs = issued.expiresAt
        return response
    }

    /// Handles `VerifyMemberToken`.
    public func verifyMemberToken(request: Fanheat_Identity_V1_VerifyMemberTokenRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_VerifyMemberTokenResponse {
        let grant = try store.verifyMemberToken(caller: try caller(context), token: request.token)
        var response = Fanheat_Identity_V1_VerifyMemberTokenResponse()
        response.clubID = grant.clubID
        response.memberID = grant.memberID
        response.membershipNumber = UInt64(max(grant.membershipNumber, 0))
        response.state = IdentityContractMapping.state(grant.status)
        response.tokenID = grant.tokenID
        response.expiresAtMs = grant.expiresAt
        return response
    }

    /// Handles `RevokeMemberToken`.
    public func revokeMemberToken(request: Fanheat_Identity_V1_RevokeMemberTokenRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_RevokeMemberTokenResponse {
        let revoked = try store.revokeMemberToken(caller: try caller(context), token: request.token, tokenID: request.tokenID)
        var response = Fanheat_Identity_V1_RevokeMemberTokenResponse()
        response.tokenID = revoked.tokenID
        response.wasActive = revoked.wasActive
        return response
    }
}
