import FanHeatContracts
import FanHeatCrypto
import FanHeatRPC

/// Conversions between the domain values and the `fanheat.identity.v1` messages.
enum IdentityContractMapping {
    static func club(_ club: Club) -> Fanheat_Identity_V1_Club {
        var message = Fanheat_Identity_V1_Club()
        message.clubID = club.id
        message.name = club.name
        message.timeZone = club.timeZone
        message.defaultLocale = club.defaultLocale
        message.rejoinGraceSeconds = club.rejoinGraceSeconds
        message.createdAtMs = club.createdAt
        message.updatedAtMs = club.updatedAt
        return message
    }

    static func apiKey(_ key: ApiKeyRecord) -> Fanheat_Identity_V1_ApiKey {
        var message = Fanheat_Identity_V1_ApiKey()
        message.keyID = key.id
        message.clubID = key.clubID
        message.name = key.name
        message.createdAtMs = key.createdAt
        message.revokedAtMs = key.revokedAt
        return message
    }

    static func state(_ status: MembershipStatus) -> Fanheat_Identity_V1_MembershipState {
        Fanheat_Identity_V1_MembershipState(rawValue: Int32(status.rawValue))
    }

    static func member(_ member: MemberRecord) -> Fanheat_Identity_V1_Member {
        var message = Fanheat_Identity_V1_Member()
        message.clubID = member.clubID
        message.memberID = member.memberID
        message.membershipNumber = UInt64(max(member.membershipNumber, 0))
        message.state = state(member.status)
        message.profile = member.profile.map(profile(_:))
        message.joinedAtMs = member.joinedAt
        message.withdrawnAtMs = member.withdrawnAt
        message.erasedAtMs = member.erasedAt
        message.updatedAtMs = member.updatedAt
        message.revision = UInt64(max(member.revision, 0))
        message.rejoinDeadlineMs = member.rejoinDeadline
        return message
    }

    static func profile(_ profile: MemberProfile) -> Fanheat_Identity_V1_MemberProfile {
        var message = Fanheat_Identity_V1_MemberProfile()
        message.displayName = profile.displayName
        message.birthday = profile.birthday.map { birthday in
            var value = Fanheat_Identity_V1_Birthday()
            value.year = UInt32(birthday.year)
            value.month = UInt32(birthday.month)
            value.day = UInt32(birthday.day)
            return value
        }
        message.timeZone = profile.timeZone
        message.locale = profile.locale
        message.notificationPreferences = profile.notificationPreferences.map { preferences in
            var value = Fanheat_Identity_V1_NotificationPreferences()
            value.channels = preferences.channels.map { Fanheat_Identity_V1_NotificationChannel(rawValue: Int32($0)) }
            value.optedOutTopics = preferences.optedOutTopics.map { Fanheat_Identity_V1_NotificationTopic(rawValue: Int32($0)) }
            value.optedOutAll = preferences.optedOutAll
            value.quietHours = preferences.quietHours.map { quiet in
                var hours = Fanheat_Identity_V1_QuietHours()
                hours.startMinute = UInt32(quiet.startMinute)
                hours.endMinute = UInt32(quiet.endMinute)
                return hours
            }
            return value
        }
        return message
    }

    /// A domain profile from a request (absent means empty).
    static func profile(_ message: Fanheat_Identity_V1_MemberProfile?) -> MemberProfile {
        guard let message else { return MemberProfile() }
        return MemberProfile(
            displayName: message.displayName,
            birthday: message.birthday.map { Birthday(year: Int($0.year), month: Int($0.month), day: Int($0.day)) },
            timeZone: message.timeZone,
            locale: message.locale,
            notificationPreferences: message.notificationPreferences.map { preferences in
                NotificationPreferences(
                    channels: preferences.channels.map { Int($0.rawValue) },
                    optedOutTopics: preferences.optedOutTopics.map { Int($0.rawValue) },
                    optedOutAll: preferences.optedOutAll,
                    quietHours: preferences.quietHours.map { QuietHours(startMinute: Int($0.startMinute), endMinute: Int($0.endMinute)) })
            })
    }

    /// The profile fields an UpdateMember applies: the mask's fields, or every set field.
    static func profileFields(mask: [String], profile: Fanheat_Identity_V1_MemberProfile?) throws -> ProfileFields {
        if mask.isEmpty {
            guard let profile else { return [] }
            var fields: ProfileFields = []
            if !profile.displayName.isEmpty { fields.insert(.displayName) }
            if profile.birthday != nil { fields.insert(.birthday) }
            if !profile.timeZone.isEmpty { fields.insert(.timeZone) }
            if !profile.locale.isEmpty { fields.insert(.locale) }
            if profile.notificationPreferences != nil { fields.insert(.notificationPreferences) }
            return fields
        }
        var fields: ProfileFields = []
        for path in mask {
            switch path.hasPrefix("profile.") ? String(path.dropFirst("profile.".count)) : path {
            case "display_name": fields.insert(.displayName)
            case "birthday": fields.insert(.birthday)
            case "time_zone": fields.insert(.timeZone)
            case "locale": fields.insert(.locale)
            case "notification_preferences": fields.insert(.notificationPreferences)
            default:
                throw Validator.invalid("update_mask", "\"\(path)\" is not an updatable member field "
                    + "(display_name, birthday, time_zone, locale, notification_preferences)")
            }
        }
        return fields
    }

    /// The club changes an UpdateClub applies.
    static func clubChanges(_ request: Fanheat_Identity_V1_UpdateClubRequest) throws -> ClubChanges {
        var changes = ClubChanges()
        if request.updateMask.isEmpty {
            if !request.name.isEmpty { changes.name = request.name }
            if !request.timeZone.isEmpty { changes.timeZone = request.timeZone }
            if !request.defaultLocale.isEmpty { changes.defaultLocale = request.defaultLocale }
            if request.rejoinGraceSeconds != 0 { changes.rejoinGraceSeconds = request.rejoinGraceSeconds }
            return changes
        }
        for path in request.updateMask {
            switch path {
            case "name": changes.name = request.name
            case "time_zone": changes.timeZone = request.timeZone
            case "default_locale": changes.defaultLocale = request.defaultLocale
            case "rejoin_grace_seconds": changes.rejoinGraceSeconds = request.rejoinGraceSeconds
            default:
                throw Validator.invalid("update_mask", "\"\(path)\" is not an updatable club field "
                    + "(name, time_zone, default_locale, rejoin_grace_seconds)")
            }
        }
        return changes
    }

    /// A page token: the hex of the last key of the previous page.
    static func pageToken(_ last: String?) -> String {
        last.map { TextEncoding.hex(Array($0.utf8)) } ?? ""
    }

    /// The key after which a page starts, from a page token.
    static func pagePosition(_ token: String) throws -> String {
        guard !token.isEmpty else { return "" }
        guard let bytes = TextEncoding.bytes(fromHex: token), let text = String(validating: bytes, as: UTF8.self) else {
            throw Validator.invalid("page_token", "is not a token from a previous response")
        }
        return text
    }
}
