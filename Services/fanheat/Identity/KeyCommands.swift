import FanHeatContracts

/// `fanheat key ...`: create, list, revoke and verify club API keys.
enum KeyCommands: CommandGroup {
    static let name = "key"
    static let summary = "create (secret printed once), list, revoke and verify club API keys"
    static let actions: [CommandAction] = [
        CommandAction(name: "create", usage: "--club ID [--name LABEL]", summary: "creates a key and prints its secret once") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_CreateApiKeyRequest()
            request.clubID = arguments.value("club") ?? ""
            request.name = arguments.value("name") ?? ""
            let response = try await connection.client.createApiKey(request, options: connection.options)
            let key = response.apiKey ?? .init()
            return CommandOutput(json: .object(["api_key": IdentityJSON.apiKey(key), "secret": .string(response.secret)]),
                                 text: [response.secret])
        },
        CommandAction(name: "list", usage: "--club ID [--include-revoked]", summary: "lists keys (never secrets)") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_ListApiKeysRequest()
            request.clubID = arguments.value("club") ?? ""
            request.includeRevoked = arguments.flag("include-revoked")
            let keys = try await connection.client.listApiKeys(request, options: connection.options).apiKeys
            return CommandOutput(json: .object(["api_keys": .array(keys.map(IdentityJSON.apiKey(_:)))]),
                                 text: keys.map(IdentityJSON.keyLine(_:)))
        },
        CommandAction(name: "revoke", usage: "--club ID --key KEY_ID", summary: "revokes a key at once") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_RevokeApiKeyRequest()
            request.clubID = arguments.value("club") ?? ""
            request.keyID = try arguments.required("key")
            let key = try await connection.client.revokeApiKey(request, options: connection.options).apiKey ?? .init()
            return CommandOutput(json: IdentityJSON.apiKey(key), text: ["revoked \(key.keyID)"])
        },
        CommandAction(name: "verify", usage: "--secret SECRET", summary: "prints the club and key id of a secret") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_VerifyApiKeyRequest()
            request.secret = arguments.value("secret") ?? ""
            let response = try await connection.client.verifyApiKey(request, options: connection.options)
            return CommandOutput(json: .object(["club_id": .string(response.clubID), "key_id": .string(response.keyID)]),
                                 text: ["\(response.clubID)\t\(response.keyID)"])
        },
    ]
}
