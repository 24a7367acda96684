import FanHeatContracts
import FanHeatRPC

/// Serves `fanheat.identity.v1.IdentityService` over an ``IdentityStore``: authenticates
/// every call from its bearer metadata, then delegates to the store, which scopes it.
public struct IdentityServiceProvider: Fanheat_Identity_V1_IdentityServiceService {
    /// The domain store.
    public let store: IdentityStore
    /// Largest batch of feed entries read at once.
    let feedBatchSize = 500

    /// Creates a provider over `store`.
    public init(store: IdentityStore) { self.store = store }

    func caller(_ context: ServerContext) throws -> Caller {
        try store.authenticate(bearer: context.metadata.bearerToken)
    }

    /// Handles `CreateClub` (admin only).
    public func createClub(request: Fanheat_Identity_V1_CreateClubRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_CreateClubResponse {
        let club = try store.createClub(caller: try caller(context), id: request.clubID, name: request.name,
                                        timeZone: request.timeZone, defaultLocale: request.defaultLocale,
                                        rejoinGraceSeconds: request.rejoinGraceSeconds)
        var response = Fanheat_Identity_V1_CreateClubResponse()
        response.club = IdentityContractMapping.club(club)
        return response
    }

    /// Handles `GetClub`.
    public func getClub(request: Fanheat_Identity_V1_GetClubRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_GetClubResponse {
        var response = Fanheat_Identity_V1_GetClubResponse()
        response.club = IdentityContractMapping.club(try store.club(caller: try caller(context), id: request.clubID))
        return response
    }

    /// Handles `ListClubs`.
    public func listClubs(request: Fanheat_Identity_V1_ListClubsRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_ListClubsResponse {
        let page = try store.listClubs(caller: try caller(context), pageSize: Int(request.pageSize),
                                       after: try IdentityContractMapping.pagePosition(request.pageToken))
        var response = Fanheat_Identity_V1_ListClubsResponse()
        response.clubs = page.clubs.map(IdentityContractMapping.club(_:))
        response.nextPageToken = IdentityContractMapping.pageToken(page.last)
        return response
    }

    /// Handles `UpdateClub`.
    public func updateClub(request: Fanheat_Identity_V1_UpdateClubRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_UpdateClubResponse {
        let caller = try caller(context)
        let club = try store.updateClub(caller: caller, id: request.clubID, changes: try IdentityContractMapping.clubChanges(request))
        var response = Fanheat_Identity_V1_UpdateClubResponse()
        response.club = IdentityContractMapping.club(club)
        return response
    }

    /// Handles `CreateApiKey`: the secret appears only in this response.
    public func createApiKey(request: Fanheat_Identity_V1_CreateApiKeyRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_CreateApiKeyResponse {
        let created = try store.createApiKey(caller: try caller(context), clubID: request.clubID, name: request.name)
        var response = Fanheat_Identity_V1_CreateApiKeyResponse()
        response.apiKey = IdentityContractMapping.apiKey(created.record)
        response.secret = created.secret
        return response
    }

    /// Handles `ListApiKeys` (never with secrets).
    public func listApiKeys(request: Fanheat_Identity_V1_ListApiKeysRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_ListApiKeysResponse {
        let keys = try store.listApiKeys(caller: try caller(context), clubID: request.clubID, includeRevoked: request.includeRevoked)
        var response = Fanheat_Identity_V1_ListApiKeysResponse()
        response.apiKeys = keys.map(IdentityContractMapping.apiKey(_:))
        return response
    }

    /// Handles `RevokeApiKey`.
    public func revokeApiKey(request: Fanheat_Identity_V1_RevokeApiKeyRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_RevokeApiKeyResponse {
        let key = try store.revokeApiKey(caller: try caller(context), clubID: request.clubID, keyID: request.keyID)
        var response = Fanheat_Identity_V1_RevokeApiKeyResponse()
        response.apiKey = IdentityContractMapping.apiKey(key)
        return response
    }

    /// Handles `VerifyApiKey`.
    public func verifyApiKey(request: Fanheat_Identity_V1_VerifyApiKeyRequest, context: ServerContext) async throws -> Fanheat_Identity_V1_VerifyApiKeyResponse {
        let caller = try caller(context)
        let verified = try store.verifyApiKey(caller: caller, bearer: context.metadata.bearerToken ?? "", secret: request.secret)
        var response = Fanheat_Identity_V1_VerifyApiKeyResponse()
        response.clubID = verified.clubID
        response.keyID = verified.keyID
        return response
    }
}
