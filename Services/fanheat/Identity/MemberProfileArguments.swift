import FanHeatContracts

/// Builds a member profile (and its update mask) from command-line options.
enum MemberProfileArguments {
    static let channels: [String: Fanheat_Identity_V1_NotificationChannel] = [
        "email": .email, "push": .push, "sms": .sms, "in_app": .inApp,
    ]
    static let topics: [String: Fanheat_Identity_V1_NotificationTopic] = [
        "birthday": .birthday, "offers": .offers, "onboarding": .onboarding, "tier_change": .tierChange,
        "re_engagement": .reEngagement, "news": .news,
    ]

    /// The profile and the names of the fields the options set.
    static func profile(_ arguments: ParsedArguments) throws -> (profile: Fanheat_Identity_V1_MemberProfile, mask: [String]) {
        var profile = Fanheat_Identity_V1_MemberProfile()
        var mask: [String] = []
        if let name = arguments.value("name") {
            profile.displayName = name
            mask.append("display_name")
        }
        if let text = arguments.value("birthday") {
            profile.birthday = try birthday(text)
            mask.append("birthday")
        }
        if let zone = arguments.value("time-zone") {
            profile.timeZone = zone
            mask.append("time_zone")
        }
        if let locale = arguments.value("locale") {
            profile.locale = locale
            mask.append("locale")
        }
        let channelNames = arguments.values("channel")
        let topicNames = arguments.values("opt-out")
        let quiet = arguments.value("quiet-hours")
        if !channelNames.isEmpty || !topicNames.isEmpty || quiet != nil || arguments.flag("opted-out-all") {
            var preferences = Fanheat_Identity_V1_NotificationPreferences()
            preferences.channels = try channelNames.map { name in
                guard let channel = channels[name] else { throw UsageError("--channel \(name): expected one of \(channels.keys.sorted().joined(separator: ", "))") }
                return channel
            }
            preferences.optedOutTopics = try topicNames.map { name in
                guard let topic = topics[name] else { throw UsageError("--opt-out \(name): expected one of \(topics.keys.sorted().joined(separator: ", "))") }
                return topic
            }
            preferences.optedOutAll = arguments.flag("opted-out-all")
            if let quiet { preferences.quietHours = try quietHours(quiet) }
            profile.notificationPreferences = preferences
            mask.append("notification_preferences")
        }
        return (profile, mask)
    }

    /// `YYYY-MM-DD` or `MM-DD` (year unknown). Range checks are the server's.
    static func birthday(_ text: String) throws -> Fanheat_Identity_V1_Birthday {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { UInt32($0) }
        var birthday = Fanheat_Identity_V1_Birthday()
        switch parts.count {
        case 3:
            guard let year = parts[0], let month = parts[1], let day = parts[2] else { break }
            birthday.year = year
            birthday.month = month
            birthday.day = day
            return birthday
        case 2:
            guard let month = parts[0], let day = parts[1] else { break }
            birthday.month = month
            birthday.day = day
            return birthday
        default:
            break
        }
        throw UsageError("--birthday \(text): expected YYYY-MM-DD or MM-DD")
    }

    /// `HH:MM-HH:MM`.
    static func quietHours(_ text: String) throws -> Fanheat_Identity_V1_QuietHours {
        let ends = text.split(separator: "-")
        let minutes = ends.map { end -> UInt32? in
            let clock = end.split(separator: ":")
            guard clock.count == 2, let hour = UInt32(clock[0]), let minute = UInt32(clock[1]) else { return nil }
            return hour * 60 + minute
        }
        guard minutes.count == 2, let start = minutes[0], let end = minutes[1] else {
            throw UsageError("--quiet-hours \(text): expected HH:MM-HH:MM")
        }
        var hours = Fanheat_Identity_V1_QuietHours()
        hours.startMinute = start
        hours.endMinute = end
        return hours
    }
}
