/// A birthday with an optional year.
public struct Birthday: Sendable, Hashable, Codable {
    /// The year, or 0 when unknown.
    public var year: Int
    /// 1-12.
    public var month: Int
    /// 1-31.
    public var day: Int

    /// Creates a birthday.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// Local quiet hours in minutes after midnight.
public struct QuietHours: Sendable, Hashable, Codable {
    /// Start, 0-1439.
    public var startMinute: Int
    /// End, 0-1439.
    public var endMinute: Int

    /// Creates quiet hours.
    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }
}

/// How and about what a member wants to hear (enum values as in the contract).
public struct NotificationPreferences: Sendable, Hashable, Codable {
    /// Accepted channels (NotificationChannel values), most preferred first.
    public var channels: [Int]
    /// Opted-out topics (NotificationTopic values).
    public var optedOutTopics: [Int]
    /// The member accepts no notifications.
    public var optedOutAll: Bool
    /// Quiet hours, if any.
    public var quietHours: QuietHours?

    /// Creates preferences.
    public init(channels: [Int] = [], optedOutTopics: [Int] = [], optedOutAll: Bool = false, quietHours: QuietHours? = nil) {
        self.channels = channels
        self.optedOutTopics = optedOutTopics
        self.optedOutAll = optedOutAll
        self.quietHours = quietHours
    }
}

/// A member's personal data.
public struct MemberProfile: Sendable, Hashable {
    /// Display name.
    public var displayName: String
    /// Birthday, if known.
    public var birthday: Birthday?
    /// IANA time zone; empty means the club's.
    public var timeZone: String
    /// BCP 47 locale; empty means the club's default.
    public var locale: String
    /// Notification preferences, if given.
    public var notificationPreferences: NotificationPreferences?

    /// Creates a profile.
    public init(displayName: String = "", birthday: Birthday? = nil, timeZone: String = "", locale: String = "",
                notificationPreferences: NotificationPreferences? = nil) {
        self.displayName = displayName
        self.birthday = birthday
        self.timeZone = timeZone
        self.locale = locale
        self.notificationPreferences = notificationPreferences
    }
}

/// Which profile fields an update applies.
public struct ProfileFields: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: Int
    /// Creates a field set.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `display_name`.
    public static let displayName = ProfileFields(rawValue: 1)
    /// `birthday`.
    public static let birthday = ProfileFields(rawValue: 2)
    /// `time_zone`.
    public static let timeZone = ProfileFields(rawValue: 4)
    /// `locale`.
    public static let locale = ProfileFields(rawValue: 8)
    /// `notification_preferences`.
    public static let notificationPreferences = ProfileFields(rawValue: 16)
    /// Every field.
    public static let all: ProfileFields = [.displayName, .birthday, .timeZone, .locale, .notificationPreferences]
}
