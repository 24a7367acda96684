import FanHeatContracts
import FanHeatRPC

/// Verifies club API keys with identity's `VerifyApiKey`, calling as the admin key when
/// one is configured, otherwise as the key itself (identity allows both).
public struct IdentityKeyAuthority: ClubKeyAuthority {
    private let client: Fanheat_Identity_V1_IdentityServiceClient
    private let adminKey: String?
    private let timeout: Duration

    /// Creates an authority over a channel to identity.
    public init(channel: any ClientChannel, adminKey: String?, timeout: Duration = .seconds(5)) {
        client = Fanheat_Identity_V1_IdentityServiceClient(channel: channel)
        self.adminKey = adminKey
        self.timeout = timeout
    }

    /// The club of `secret`, as identity answers.
    public func clubID(forSecret secret: String) async throws(RPCError) -> String {
        var request = Fanheat_Identity_V1_VerifyApiKeyRequest()
        var metadata = Metadata()
        if let adminKey {
            request.secret = secret
            metadata.addString("Bearer \(adminKey)", forKey: "authorization")
        } else {
            metadata.addString("Bearer \(secret)", forKey: "authorization")
        }
        do {
            let response = try await client.verifyApiKey(request, options: CallOptions(timeout: timeout, metadata: metadata))
            guard !response.clubID.isEmpty else {
                throw RPCError(code: .unauthenticated, message: "identity returned no club for the key")
            }
            return response.clubID
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .unavailable, message: "identity call failed: \(error)")
        }
    }
}
