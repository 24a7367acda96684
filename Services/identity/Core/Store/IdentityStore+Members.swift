import FanHeatRPC
import FanHeatStorage

extension IdentityStore {
    /// Joins a member to a club; an erased tombstone may join afresh with a new number.
    public func joinMember(caller: Caller, clubID requested: String, memberID: String, profile: MemberProfile) throws -> MemberRecord {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        try Validator.checkProfile(profile)
        let time = now
        let member = try write { database -> MemberRecord in
            _ = try Self.loadClub(database, clubID)
            if let existing = try Self.loadMemberIfPresent(database, clubID, memberID) {
                switch existing.status {
                case .active:
                    throw RPCError(code: .alreadyExists, message: "member \"\(memberID)\" already exists in club \"\(clubID)\"")
                case .withdrawn:
                    throw RPCError(code: .alreadyExists,
                                   message: "member \"\(memberID)\" already exists in club \"\(clubID)\" (withdrawn); use RejoinMember")
                case .erased:
                    try database.run("DELETE FROM member_tokens WHERE club_id = ? AND member_id = ?", clubID, memberID)
                    try database.run("DELETE FROM members WHERE club_id = ? AND member_id = ?", clubID, memberID)
                }
            }
            let number = try Self.takeMembershipNumber(database, clubID)
            var member = MemberRecord(clubID: clubID, memberID: memberID, membershipNumber: number, status: .active,
                                      profile: profile, joinedAt: time, withdrawnAt: 0, erasedAt: 0, updatedAt: time,
                                      revision: 0, rejoinDeadline: 0)
            member.revision = try Self.appendChange(database, .joined, member, at: time)
            try database.run("""
                INSERT INTO members (club_id, member_id, membership_number, state, display_name, birthday_year, birthday_month,
                    birthday_day, time_zone, locale, preferences, joined_at_ms, withdrawn_at_ms, erased_at_ms, updated_at_ms,
                    revision, rejoin_deadline_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, bindings: Self.memberBindings(member))
            return member
        }
        notifier.publish(member.revision)
        return member
    }

    /// Reads one member in the caller's scope.
    public func member(caller: Caller, clubID requested: String, memberID: String) throws -> MemberRecord {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        return try read { database in
            _ = try Self.loadClub(database, clubID)
            return try Self.loadMember(database, clubID, memberID)
        }
    }

    /// Lists a club's members in member id order.
    public func listMembers(caller: Caller, clubID requested: String, pageSize: Int, after: String) throws -> (members: [MemberRecord], last: String?) {
        let clubID = try scope(caller, clubID: requested)
        let limit = Self.pageLimit(pageSize)
        let members = try read { database in
            _ = try Self.loadClub(database, clubID)
            return try Self.loadMembers(database, clubID: clubID, after: after, limit: limit + 1)
        }
        let page = Array(members.prefix(limit))
        return (page, members.count > limit ? page.last?.memberID : nil)
    }

    /// Updates the named profile fields of an active or withdrawn member.
    public func updateMember(caller: Caller, clubID requested: String, memberID: String,
                             profile: MemberProfile, fields: ProfileFields) throws -> MemberRecord {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        try Validator.checkProfile(profile, fields: fields)
        let time = now
        let member = try write { database -> MemberRecord in
            _ = try Self.loadClub(database, clubID)
            var member = try Self.loadMember(database, clubID, memberID)
            guard member.status != .erased, var current = member.profile else {
                throw RPCError(code: .failedPrecondition, message: "member \"\(memberID)\" was erased; its profile cannot change")
            }
            if fields.contains(.displayName) { current.displayName = profile.displayName }
            if fields.contains(.birthday) { current.birthday = profile.birthday }
            if fields.contains(.timeZone) { current.timeZone = profile.timeZone }
            if fields.contains(.locale) { current.locale = profile.locale }
            if fields.contains(.notificationPreferences) { current.notificationPreferences = profile.notificationPreferences }
            member.profile = current
            member.updatedAt = time
            member.revision = try Self.appendChange(database, .updated, member, at: time)
            try Self.saveMember(database, member)
            return member
        }
        notifier.publish(member.revision)
        return member
    }

    /// Ends a membership now and revokes every token of the member at once.
    public func withdrawMember(caller: Caller, clubID requested: String, memberID: String) throws -> WithdrawOutcome {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        let time = now
        let outcome = try write { database -> WithdrawOutcome in
            let club = try Self.loadClub(database, clubID)
            var member = try Self.loadMember(database, clubID, memberID)
            guard member.status == .active else {
                throw RPCError(code: .failedPrecondition,
                               message: "member \"\(memberID)\" is not an active member (\(member.status)); nothing to withdraw")
            }
            let grace = club.rejoinGraceSeconds > 0 ? club.rejoinGraceSeconds : configuration.defaultRejoinGraceSeconds
            member.status = .withdrawn
            member.withdrawnAt = time
            member.updatedAt = time
            member.rejoinDeadline = time + grace * 1000
            member.revision = try Self.appendChange(database, .withdrawn, member, at: time)
            try Self.saveMember(database, member)
            let revoked = try Self.revokeTokens(database, clubID, memberID, at: time, reason: "withdrawn")
            return WithdrawOutcome(member: member, revokedTokens: revoked)
        }
        notifier.publish(outcome.member.revision)
        return outcome
    }

    /// Rejoins a withdrawn member: before the rejoin deadline the number and join date are
    /// kept; after it the member gets a new number and join date.
    public func rejoinMember(caller: Caller, clubID requested: String, memberID: String) throws -> RejoinOutcome {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        let time = now
        let outcome = try write { database -> RejoinOutcome in
            _ = try Self.loadClub(database, clubID)
            var member = try Self.loadMember(database, clubID, memberID)
            switch member.status {
            case .active:
                throw RPCError(code: .failedPrecondition, message: "member \"\(memberID)\" is already an active member")
            case .erased:
                throw RPCError(code: .failedPrecondition, message: "member \"\(memberID)\" was erased; use JoinMember to join afresh")
            case .withdrawn:
                break
            }
            let kept = time <= member.rejoinDeadline
            if !kept {
                member.membershipNumber = try Self.takeMembershipNumber(database, clubID)
                member.joinedAt = time
            }
            member.status = .active
            member.withdrawnAt = 0
            member.rejoinDeadline = 0
            member.updatedAt = time
            member.revision = try Self.appendChange(database, .rejoined, member, at: time)
            try Self.saveMember(database, member)
            return RejoinOutcome(member: member, keptMembershipNumber: kept)
        }
        notifier.publish(outcome.member.revision)
        return outcome
    }

    /// Erases a member's personal data and tokens, keeping a tombstone and an ERASED feed entry.
    public func eraseMember(caller: Caller, clubID requested: String, memberID: String) throws -> MemberRecord {
        let clubID = try scope(caller, clubID: requested)
        try Validator.checkMemberID(memberID)
        let time = now
        let member = try write { database -> MemberRecord in
            _ = try Self.loadClub(database, clubID)
            var member = try Self.loadMember(database, clubID, memberID)
            guard member.status != .erased else {
                throw RPCError(code: .failedPrecondition, message: "member \"\(memberID)\" was already erased")
            }
            member.status = .erased
            member.profile = nil
            member.erasedAt = time
            member.updatedAt = time
            member.rejoinDeadline = 0
            member.revision = try Self.appendChange(database, .erased, member, at: time)
            try Self.saveMember(database, member)
            try Self.revokeTokens(database, clubID, memberID, at: time, reason: "erased")
            return member
        }
        notifier.publish(member.revision)
        return member
    }

    static func takeMembershipNumber(_ database: SQLiteDatabase, _ clubID: String) throws -> Int64 {
        let number = try database.query("SELECT next_membership_number FROM clubs WHERE club_id = ?", clubID).first?.integer(0) ?? 1
        try database.run("UPDATE clubs SET next_membership_number = ? WHERE club_id = ?", number + 1, clubID)
        return number
    }

    /// Records a change in the feed and returns its revision.
    static func appendChange(_ database: SQLiteDatabase, _ kind: MembershipChangeKind, _ member: MemberRecord, at time: Int64) throws -> Int64 {
        try database.run("""
            INSERT INTO membership_changes (club_id, member_id, kind, state, membership_number, joined_at_ms, withdrawn_at_ms,
                erased_at_ms, rejoin_deadline_ms, occurred_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, member.clubID, member.memberID, kind.rawValue, member.status.rawValue, member.membershipNumber,
            member.joinedAt, member.withdrawnAt, member.erasedAt, member.rejoinDeadline, time)
        return database.lastInsertRowID
    }

    @discardableResult
    static func revokeTokens(_ database: SQLiteDatabase, _ clubID: String, _ memberID: String, at time: Int64, reason: String) throws -> Int {
        try database.run("""
            UPDATE member_tokens SET revoked_at_ms = ?, revoked_reason = ?
            WHERE club_id = ? AND member_id = ? AND revoked_at_ms = 0 AND expires_at_ms > ?
            """, time, reason, clubID, memberID, time)
    }
}
