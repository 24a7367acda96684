import FanHeatRPC
import FanHeatStorage
import Foundation

extension IdentityStore {
    static let memberColumns = """
        club_id, member_id, membership_number, state, display_name, birthday_year, birthday_month, birthday_day,
        time_zone, locale, preferences, joined_at_ms, withdrawn_at_ms, erased_at_ms, updated_at_ms, revision, rejoin_deadline_ms
        """

    static func loadMemberIfPresent(_ database: SQLiteDatabase, _ clubID: String, _ memberID: String) throws -> MemberRecord? {
        try database.query("SELECT \(memberColumns) FROM members WHERE club_id = ? AND member_id = ?", clubID, memberID)
            .first.map(member(from:))
    }

    static func loadMember(_ database: SQLiteDatabase, _ clubID: String, _ memberID: String) throws -> MemberRecord {
        guard let member = try loadMemberIfPresent(database, clubID, memberID) else { throw memberNotFound(clubID, memberID) }
        return member
    }

    /// Members in (club, member id) order after a position; every club when `clubID` is nil.
    static func loadMembers(_ database: SQLiteDatabase, clubID: String?, after: String, afterClub: String = "", limit: Int) throws -> [MemberRecord] {
        if let clubID {
            return try database.query("""
                SELECT \(memberColumns) FROM members WHERE club_id = ? AND member_id > ? ORDER BY member_id LIMIT ?
                """, clubID, after, limit).map(member(from:))
        }
        return try database.query("""
            SELECT \(memberColumns) FROM members WHERE (club_id, member_id) > (?, ?) ORDER BY club_id, member_id LIMIT ?
            """, afterClub, after, limit).map(member(from:))
    }

    static func saveMember(_ database: SQLiteDatabase, _ member: MemberRecord) throws {
        var bindings = Array(memberBindings(member).dropFirst(2))
        bindings.append(member.clubID)
        bindings.append(member.memberID)
        try database.run("""
            UPDATE members SET membership_number = ?, state = ?, display_name = ?, birthday_year = ?, birthday_month = ?,
                birthday_day = ?, time_zone = ?, locale = ?, preferences = ?, joined_at_ms = ?, withdrawn_at_ms = ?,
                erased_at_ms = ?, updated_at_ms = ?, revision = ?, rejoin_deadline_ms = ?
            WHERE club_id = ? AND member_id = ?
            """, bindings: bindings)
    }

    /// The 17 column values of `memberColumns`, in order.
    static func memberBindings(_ member: MemberRecord) -> [any SQLiteBindable] {
        let profile = member.profile
        let preferences: String? = profile?.notificationPreferences.flatMap { value in
            (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
        }
        return [
            member.clubID, member.memberID, member.membershipNumber, member.status.rawValue,
            profile?.displayName, profile?.birthday.map { Int64($0.year) }, profile?.birthday.map { Int64($0.month) },
            profile?.birthday.map { Int64($0.day) }, profile?.timeZone, profile?.locale, preferences,
            member.joinedAt, member.withdrawnAt, member.erasedAt, member.updatedAt, member.revision, member.rejoinDeadline,
        ]
    }

    static func member(from row: SQLiteRow) -> MemberRecord {
        let status = MembershipStatus(rawValue: row.int(3)) ?? .active
        var profile: MemberProfile?
        if status != .erased {
            let birthday = row.isNull(6) ? nil : Birthday(year: row.int(5), month: row.int(6), day: row.int(7))
            let preferences = row.optionalText(10).flatMap { text in
                try? JSONDecoder().decode(NotificationPreferences.self, from: Data(text.utf8))
            }
            profile = MemberProfile(displayName: row.text(4), birthday: birthday, timeZone: row.text(8),
                                    locale: row.text(9), notificationPreferences: preferences)
        }
        return MemberRecord(clubID: row.text(0), memberID: row.text(1), membershipNumber: row.integer(2), status: status,
                            profile: profile, joinedAt: row.integer(11), withdrawnAt: row.integer(12),
                            erasedAt: row.integer(13), updatedAt: row.integer(14), revision: row.integer(15),
                            rejoinDeadline: row.integer(16))
    }
}
