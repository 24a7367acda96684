import FanHeatContracts

/// `fanheat token ...`: issue, verify and revoke member tokens.
enum TokenCommands: CommandGroup {
    static let name = "token"
    static let summary = "issue, verify and revoke member tokens"
    static let actions: [CommandAction] = [
        CommandAction(name: "issue", usage: "--club ID --member ID [--ttl SECONDS]", summary: "issues a token and prints it") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_IssueMemberTokenRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            request.ttlSeconds = try arguments.integer("ttl")
            let response = try await connection.client.issueMemberToken(request, options: connection.options)
            return CommandOutput(json: .object(["token": .string(response.token), "token_id": .string(response.tokenID),
                                                "expires_at_ms": .integer(response.expiresAtMs)]),
                                 text: [response.token])
        },
        CommandAction(name: "verify", usage: "--token TOKEN", summary: "prints the club, member and state of a token") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_VerifyMemberTokenRequest()
            request.token = try arguments.required("token")
            let response = try await connection.client.verifyMemberToken(request, options: connection.options)
            return CommandOutput(
                json: .object(["club_id": .string(response.clubID), "member_id": .string(response.memberID),
                               "membership_number": .integer(Int64(response.membershipNumber)),
                               "state": .string(IdentityJSON.stateName(response.state)), "token_id": .string(response.tokenID),
                               "expires_at_ms": .integer(response.expiresAtMs)]),
                text: ["\(response.clubID)\t\(response.memberID)\tno.\(response.membershipNumber)\t\(IdentityJSON.stateName(response.state))"])
        },
        CommandAction(name: "revoke", usage: "--token TOKEN | --token-id ID", summary: "revokes one token") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_RevokeMemberTokenRequest()
            request.token = arguments.value("token") ?? ""
            request.tokenID = arguments.value("token-id") ?? ""
            guard !request.token.isEmpty || !request.tokenID.isEmpty else { throw UsageError("give --token or --token-id") }
            let response = try await connection.client.revokeMemberToken(request, options: connection.options)
            return CommandOutput(json: .object(["token_id": .string(response.tokenID), "was_active": .bool(response.wasActive)]),
                                 text: ["revoked \(response.tokenID)"])
        },
    ]
}
