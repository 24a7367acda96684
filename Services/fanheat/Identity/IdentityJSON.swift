import FanHeatContracts

/// JSON and text renderings of identity messages for the CLI.
enum IdentityJSON {
    static func club(_ club: Fanheat_Identity_V1_Club) -> JSONValue {
        .object(["club_id": .string(club.clubID), "name": .string(club.name), "time_zone": .string(club.timeZone),
                 "default_locale": .string(club.defaultLocale), "rejoin_grace_seconds": .integer(club.rejoinGraceSeconds),
                 "created_at_ms": .integer(club.createdAtMs), "updated_at_ms": .integer(club.updatedAtMs)])
    }

    static func clubLine(_ club: Fanheat_Identity_V1_Club) -> String {
        "\(club.clubID)\t\(club.name)\t\(club.timeZone)\t\(club.defaultLocale)"
    }

    static func apiKey(_ key: Fanheat_Identity_V1_ApiKey) -> JSONValue {
        .object(["key_id": .string(key.keyID), "club_id": .string(key.clubID), "name": .string(key.name),
                 "created_at_ms": .integer(key.createdAtMs), "revoked_at_ms": .integer(key.revokedAtMs),
                 "revoked": .bool(key.revokedAtMs != 0)])
    }

    static func keyLine(_ key: Fanheat_Identity_V1_ApiKey) -> String {
        "\(key.keyID)\t\(key.clubID)\t\(key.revokedAtMs != 0 ? "revoked" : "active")\t\(key.name)"
    }

    static func stateName(_ state: Fanheat_Identity_V1_MembershipState) -> String {
        switch state {
        case .active: "active"
        case .withdrawn: "withdrawn"
        case .erased: "erased"
        default: "unspecified"
        }
    }

    static func member(_ member: Fanheat_Identity_V1_Member) -> JSONValue {
        var fields: [String: JSONValue] = [
            "club_id": .string(member.clubID), "member_id": .string(member.memberID),
            "membership_number": .integer(Int64(member.membershipNumber)), "state": .string(stateName(member.state)),
            "joined_at_ms": .integer(member.joinedAtMs), "withdrawn_at_ms": .integer(member.withdrawnAtMs),
            "erased_at_ms": .integer(member.erasedAtMs), "updated_at_ms": .integer(member.updatedAtMs),
            "revision": .integer(Int64(member.revision)), "rejoin_deadline_ms": .integer(member.rejoinDeadlineMs),
        ]
        if let profile = member.profile {
            var profileFields: [String: JSONValue] = [
                "display_name": .string(profile.displayName), "time_zone": .string(profile.timeZone),
                "locale": .string(profile.locale),
            ]
            if let birthday = profile.birthday {
                profileFields["birthday"] = .object(["year": .integer(Int64(birthday.year)), "month": .integer(Int64(birthday.month)),
                                                     "day": .integer(Int64(birthday.day))])
            }
            if let preferences = profile.notificationPreferences {
                profileFields["notification_preferences"] = .object([
                    "channels": .array(preferences.channels.map { .integer(Int64($0.rawValue)) }),
                    "opted_out_topics": .array(preferences.optedOutTopics.map { .integer(Int64($0.rawValue)) }),
                    "opted_out_all": .bool(preferences.optedOutAll),
                ])
            }
            fields["profile"] = .object(profileFields)
        } else {
            fields["profile"] = .null
        }
        return .object(fields)
    }

    static func memberLine(_ member: Fanheat_Identity_V1_Member) -> String {
        "\(member.clubID)\t\(member.memberID)\tno.\(member.membershipNumber)\t\(stateName(member.state))\t\(member.profile?.displayName ?? "")"
    }
}
