import FanHeatRPC
import Foundation

/// Input checks; each failure is INVALID_ARGUMENT naming the offending field.
public enum Validator {
    /// Largest accepted member id, in UTF-8 bytes.
    public static let maximumMemberIDLength = 128
    /// Largest accepted display or club name, in characters.
    public static let maximumNameLength = 200

    /// Fails with INVALID_ARGUMENT naming `field`.
    public static func invalid(_ field: String, _ problem: String) -> RPCError {
        RPCError(code: .invalidArgument, message: "\(field): \(problem)")
    }

    /// A caller-chosen club id: `[a-z0-9][a-z0-9_-]{0,63}`.
    public static func checkClubID(_ id: String, field: String = "club_id") throws {
        guard !id.isEmpty else { throw invalid(field, "must not be empty") }
        let bytes = Array(id.utf8)
        guard bytes.count <= 64 else { throw invalid(field, "longer than 64 characters") }
        let allowed = { (byte: UInt8) -> Bool in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5f || byte == 0x2d
        }
        guard bytes.allSatisfy(allowed), bytes[0] != 0x5f, bytes[0] != 0x2d else {
            throw invalid(field, "\"\(id)\" must match [a-z0-9][a-z0-9_-]{0,63}")
        }
    }

    /// An external member id: 1-128 bytes, no control characters.
    public static func checkMemberID(_ id: String, field: String = "member_id") throws {
        guard !id.isEmpty else { throw invalid(field, "must not be empty") }
        guard id.utf8.count <= maximumMemberIDLength else { throw invalid(field, "longer than \(maximumMemberIDLength) bytes") }
        guard !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid(field, "contains control characters")
        }
    }

    /// A display or club name: at most 200 characters, no control characters.
    public static func checkName(_ name: String, field: String, required: Bool) throws {
        if name.isEmpty {
            if required { throw invalid(field, "must not be empty") }
            return
        }
        guard name.count <= maximumNameLength else { throw invalid(field, "longer than \(maximumNameLength) characters") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw invalid(field, "contains control characters")
        }
    }

    /// An IANA time zone identifier known to Foundation (empty allowed when `allowEmpty`).
    public static func checkTimeZone(_ identifier: String, field: String, allowEmpty: Bool) throws {
        if identifier.isEmpty {
            if allowEmpty { return }
            throw invalid(field, "must not be empty")
        }
        guard identifier.utf8.count <= 64, TimeZone(identifier: identifier) != nil else {
            throw invalid(field, "\"\(identifier)\" is not a known IANA time zone (e.g. \"Asia/Tokyo\")")
        }
    }

    /// A BCP 47 language tag shape: `ll[-Subtag...]` (empty allowed when `allowEmpty`).
    public static func checkLocale(_ tag: String, field: String, allowEmpty: Bool) throws {
        if tag.isEmpty {
            if allowEmpty { return }
            throw invalid(field, "must not be empty")
        }
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        let language = parts[0]
        let isLetters = { (part: Substring) in part.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7a } }
        let isAlphanumeric = { (part: Substring) in
            part.utf8.allSatisfy { (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) }
        }
        guard tag.utf8.count <= 35, (2...8).contains(language.count), isLetters(language),
              parts.dropFirst().allSatisfy({ (1...8).contains($0.count) && isAlphanumeric($0) }) else {
            throw invalid(field, "\"\(tag)\" is not a BCP 47 language tag (e.g. \"ja-JP\")")
        }
    }

    /// A birthday: month 1-12, a day that exists in that month (29 February without a year
    /// or in a leap year), a year of 0 (unknown) or 1900 up to the current year, not in the future.
    public static func checkBirthday(_ birthday: Birthday, field: String = "profile.birthday", now: Date = Date()) throws {
        guard (1...12).contains(birthday.month) else {
            throw invalid("\(field).month", "\(birthday.month) is not a month (1-12)")
        }
        let calendar = Calendar(identifier: .gregorian)
        let currentYear = calendar.component(.year, from: now)
        if birthday.year != 0 {
            guard (1900...currentYear).contains(birthday.year) else {
                throw invalid("\(field).year", "\(birthday.year) is not between 1900 and \(currentYear) (0 for unknown)")
            }
        }
        let leap = birthday.year == 0 || (birthday.year % 4 == 0 && (birthday.year % 100 != 0 || birthday.year % 400 == 0))
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[birthday.month - 1]).contains(birthday.day) else {
            throw invalid("\(field).day", "\(birthday.day) is not a day of month \(birthday.month)\(birthday.year == 0 ? "" : " in \(birthday.year)")")
        }
        if birthday.year == currentYear {
            var components = DateComponents()
            components.year = birthday.year
            components.month = birthday.month
            components.day = birthday.day
            if let date = calendar.date(from: components), date > now {
                throw invalid(field, "is in the future")
            }
        }
    }

    /// Notification preferences: known channels and topics, quiet hours within a day.
    public static func checkPreferences(_ preferences: NotificationPreferences, field: String = "profile.notification_preferences") throws {
        for channel in preferences.channels where !(1...4).contains(channel) {
            throw invalid("\(field).channels", "\(channel) is not a known NotificationChannel")
        }
        for topic in preferences.optedOutTopics where !(1...6).contains(topic) {
            throw invalid("\(field).opted_out_topics", "\(topic) is not a known NotificationTopic")
        }
        if let quiet = preferences.quietHours {
            guard (0..<1440).contains(quiet.startMinute) else {
                throw invalid("\(field).quiet_hours.start_minute", "\(quiet.startMinute) is not within 0-1439")
            }
            guard (0..<1440).contains(quiet.endMinute) else {
                throw invalid("\(field).quiet_hours.end_minute", "\(quiet.endMinute) is not within 0-1439")
            }
        }
    }

    /// Every field of a profile.
    public static func checkProfile(_ profile: MemberProfile, fields: ProfileFields = .all) throws {
        if fields.contains(.displayName) { try checkName(profile.displayName, field: "profile.display_name", required: false) }
        if fields.contains(.birthday), let birthday = profile.birthday { try checkBirthday(birthday) }
        if fields.contains(.timeZone) { try checkTimeZone(profile.timeZone, field: "profile.time_zone", allowEmpty: true) }
        if fields.contains(.locale) { try checkLocale(profile.locale, field: "profile.locale", allowEmpty: true) }
        if fields.contains(.notificationPreferences), let preferences = profile.notificationPreferences {
            try checkPreferences(preferences)
        }
    }

    /// A rejoin grace period: 0 (server default) up to ten years.
    public static func checkGrace(_ seconds: Int64, field: String = "rejoin_grace_seconds") throws {
        guard (0...315_360_000).contains(seconds) else {
            throw invalid(field, "\(seconds) is not within 0-315360000 seconds")
        }
    }
}
