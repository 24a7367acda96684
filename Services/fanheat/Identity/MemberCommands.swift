import FanHeatContracts

/// `fanheat member ...`: join, get, list, update, withdraw, rejoin and erase members.
enum MemberCommands: CommandGroup {
    static let name = "member"
    static let summary = "join, get, list, update, withdraw, rejoin and erase members"
    static let profileUsage = "[--name NAME] [--birthday YYYY-MM-DD|MM-DD] [--time-zone TZ] [--locale L] "
        + "[--channel email|push|sms|in_app]... [--opt-out birthday|offers|onboarding|tier_change|re_engagement|news]... "
        + "[--opted-out-all] [--quiet-hours HH:MM-HH:MM]"

    static let actions: [CommandAction] = [
        CommandAction(name: "join", usage: "--club ID --member ID " + profileUsage, summary: "joins a member; prints the membership number") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_JoinMemberRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            request.profile = try MemberProfileArguments.profile(arguments).profile
            let member = try await connection.client.joinMember(request, options: connection.options).member ?? .init()
            return CommandOutput(json: IdentityJSON.member(member), text: ["\(member.membershipNumber)"])
        },
        CommandAction(name: "get", usage: "--club ID --member ID", summary: "prints one member") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_GetMemberRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            let member = try await connection.client.getMember(request, options: connection.options).member ?? .init()
            return CommandOutput(json: IdentityJSON.member(member), text: [IdentityJSON.memberLine(member)])
        },
        CommandAction(name: "list", usage: "--club ID [--page-size N]", summary: "lists a club's members (every page)") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_ListMembersRequest()
            request.clubID = arguments.value("club") ?? ""
            request.pageSize = UInt32(clamping: try arguments.integer("page-size", default: 500))
            var members: [Fanheat_Identity_V1_Member] = []
            repeat {
                let response = try await connection.client.listMembers(request, options: connection.options)
                members += response.members
                request.pageToken = response.nextPageToken
            } while !request.pageToken.isEmpty
            return CommandOutput(json: .object(["members": .array(members.map(IdentityJSON.member(_:)))]),
                                 text: members.map(IdentityJSON.memberLine(_:)))
        },
        CommandAction(name: "update", usage: "--club ID --member ID " + profileUsage, summary: "changes the given profile fields") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_UpdateMemberRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            let parsed = try MemberProfileArguments.profile(arguments)
            guard !parsed.mask.isEmpty else { throw UsageError("nothing to update: give at least one profile option") }
            request.profile = parsed.profile
            request.updateMask = parsed.mask
            let member = try await connection.client.updateMember(request, options: connection.options).member ?? .init()
            return CommandOutput(json: IdentityJSON.member(member), text: [IdentityJSON.memberLine(member)])
        },
        CommandAction(name: "withdraw", usage: "--club ID --member ID", summary: "ends the membership; the member's tokens stop working") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_WithdrawMemberRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            let response = try await connection.client.withdrawMember(request, options: connection.options)
            let member = response.member ?? .init()
            guard case .object(var fields) = IdentityJSON.member(member) else { return CommandOutput(json: .null, text: []) }
            fields["revoked_tokens"] = .integer(Int64(response.revokedTokens))
            return CommandOutput(json: .object(fields),
                                 text: [IdentityJSON.memberLine(member), "revoked tokens: \(response.revokedTokens)"])
        },
        CommandAction(name: "rejoin", usage: "--club ID --member ID", summary: "rejoins; within the grace period the number is kept") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_RejoinMemberRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            let response = try await connection.client.rejoinMember(request, options: connection.options)
            let member = response.member ?? .init()
            guard case .object(var fields) = IdentityJSON.member(member) else { return CommandOutput(json: .null, text: []) }
            fields["kept_membership_number"] = .bool(response.keptMembershipNumber)
            return CommandOutput(json: .object(fields), text: [IdentityJSON.memberLine(member),
                                                               response.keptMembershipNumber ? "kept membership number" : "new membership number"])
        },
        CommandAction(name: "erase", usage: "--club ID --member ID", summary: "erases personal data, keeping a tombstone") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_EraseMemberRequest()
            request.clubID = arguments.value("club") ?? ""
            request.memberID = try arguments.required("member")
            let member = try await connection.client.eraseMember(request, options: connection.options).member ?? .init()
            return CommandOutput(json: IdentityJSON.member(member), text: [IdentityJSON.memberLine(member)])
        },
    ]
}
