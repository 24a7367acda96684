import FanHeatRPC
import FanHeatStorage

extension IdentityStore {
    /// The club a feed watch covers: a club key watches its own club; the admin names one or
    /// watches every club (nil).
    public func feedScope(caller: Caller, clubID requested: String) throws -> String? {
        if caller == .admin && requested.isEmpty { return nil }
        let clubID = try scope(caller, clubID: requested)
        _ = try read { database in try Self.loadClub(database, clubID) }
        return clubID
    }

    /// The latest committed revision.
    public func headRevision() throws -> Int64 {
        try read { database in
            try database.query("SELECT COALESCE(MAX(revision), 0) FROM membership_changes").first?.integer(0) ?? 0
        }
    }

    /// One page of the snapshot: members after (club, member) in key order.
    public func snapshotPage(clubID: String?, afterClub: String, afterMember: String, limit: Int) throws -> [MemberRecord] {
        try read { database in
            try Self.loadMembers(database, clubID: clubID, after: afterMember, afterClub: afterClub, limit: limit)
        }
    }

    /// Changes with revision >= `fromRevision`, oldest first, at most `limit`.
    public func changes(clubID: String?, fromRevision: Int64, limit: Int) throws -> [MembershipChange] {
        let rows = try read { database in
            let select = """
                SELECT c.revision, c.kind, c.club_id, c.member_id, c.state, c.membership_number, c.joined_at_ms,
                       c.withdrawn_at_ms, c.erased_at_ms, c.rejoin_deadline_ms, c.occurred_at_ms,
                       m.club_id, m.member_id, m.membership_number, m.state, m.display_name, m.birthday_year,
                       m.birthday_month, m.birthday_day, m.time_zone, m.locale, m.preferences, m.joined_at_ms,
                       m.withdrawn_at_ms, m.erased_at_ms, m.updated_at_ms, m.revision, m.rejoin_deadline_ms
                FROM membership_changes c LEFT JOIN members m ON m.club_id = c.club_id AND m.member_id = c.member_id
                """
            if let clubID {
                return try database.query(select + " WHERE c.club_id = ? AND c.revision >= ? ORDER BY c.revision LIMIT ?",
                                          clubID, fromRevision, limit)
            }
            return try database.query(select + " WHERE c.revision >= ? ORDER BY c.revision LIMIT ?", fromRevision, limit)
        }
        return rows.map(Self.change(from:))
    }

    /// A feed entry: membership fields as of the change, the profile as of now (none once erased).
    static func change(from row: SQLiteRow) -> MembershipChange {
        let kind = MembershipChangeKind(rawValue: row.int(1)) ?? .updated
        let status = MembershipStatus(rawValue: row.int(4)) ?? .active
        var profile: MemberProfile?
        if !row.isNull(11), kind != .erased, status != .erased {
            profile = member(from: SQLiteRow(values: Array(row.values[11...]))).profile
        }
        let member = MemberRecord(clubID: row.text(2), memberID: row.text(3), membershipNumber: row.integer(5),
                                  status: status, profile: profile, joinedAt: row.integer(6), withdrawnAt: row.integer(7),
                                  erasedAt: row.integer(8), updatedAt: row.integer(10), revision: row.integer(0),
                                  rejoinDeadline: row.integer(9))
        return MembershipChange(revision: row.integer(0), kind: kind, member: member, occurredAt: row.integer(10))
    }
}
