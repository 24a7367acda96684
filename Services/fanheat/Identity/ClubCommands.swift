import FanHeatContracts

/// `fanheat club ...`: create, get, list and update clubs.
enum ClubCommands: CommandGroup {
    static let name = "club"
    static let summary = "create, get, list and update clubs (create needs the admin key)"
    static let actions: [CommandAction] = [
        CommandAction(name: "create", usage: "--name NAME [--id ID] [--time-zone TZ] [--locale L] [--rejoin-grace-seconds N]",
                      summary: "creates a club and prints its id") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_CreateClubRequest()
            request.name = try arguments.required("name")
            request.clubID = arguments.value("id") ?? ""
            request.timeZone = arguments.value("time-zone") ?? ""
            request.defaultLocale = arguments.value("locale") ?? ""
            request.rejoinGraceSeconds = try arguments.integer("rejoin-grace-seconds")
            let club = try await connection.client.createClub(request, options: connection.options).club ?? .init()
            return CommandOutput(json: IdentityJSON.club(club), text: [club.clubID])
        },
        CommandAction(name: "get", usage: "--club ID", summary: "prints one club") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_GetClubRequest()
            request.clubID = arguments.value("club") ?? ""
            let club = try await connection.client.getClub(request, options: connection.options).club ?? .init()
            return CommandOutput(json: IdentityJSON.club(club), text: [IdentityJSON.clubLine(club)])
        },
        CommandAction(name: "list", usage: "[--page-size N]", summary: "lists clubs (every page)") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var clubs: [Fanheat_Identity_V1_Club] = []
            var request = Fanheat_Identity_V1_ListClubsRequest()
            request.pageSize = UInt32(clamping: try arguments.integer("page-size", default: 100))
            repeat {
                let response = try await connection.client.listClubs(request, options: connection.options)
                clubs += response.clubs
                request.pageToken = response.nextPageToken
            } while !request.pageToken.isEmpty
            return CommandOutput(json: .object(["clubs": .array(clubs.map(IdentityJSON.club(_:)))]),
                                 text: clubs.map(IdentityJSON.clubLine(_:)))
        },
        CommandAction(name: "update", usage: "--club ID [--name NAME] [--time-zone TZ] [--locale L] [--rejoin-grace-seconds N]",
                      summary: "changes the given fields") { arguments, environment in
            let connection = try IdentityConnection(environment)
            var request = Fanheat_Identity_V1_UpdateClubRequest()
            request.clubID = arguments.value("club") ?? ""
            for (option, field) in [("name", "name"), ("time-zone", "time_zone"), ("locale", "default_locale"),
                                    ("rejoin-grace-seconds", "rejoin_grace_seconds")] where arguments.value(option) != nil {
                request.updateMask.append(field)
            }
            guard !request.updateMask.isEmpty else { throw UsageError("nothing to update: give --name, --time-zone, --locale or --rejoin-grace-seconds") }
            request.name = arguments.value("name") ?? ""
            request.timeZone = arguments.value("time-zone") ?? ""
            request.defaultLocale = arguments.value("locale") ?? ""
            request.rejoinGraceSeconds = try arguments.integer("rejoin-grace-seconds")
            let club = try await connection.client.updateClub(request, options: connection.options).club ?? .init()
            return CommandOutput(json: IdentityJSON.club(club), text: [IdentityJSON.clubLine(club)])
        },
    ]
}
