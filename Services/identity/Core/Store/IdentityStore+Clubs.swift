import FanHeatCrypto
import FanHeatRPC
import FanHeatStorage

extension IdentityStore {
    static let clubColumns = "club_id, name, time_zone, default_locale, rejoin_grace_seconds, created_at_ms, updated_at_ms"

    /// Creates a club (admin only). An empty id gets a generated `club_<hex>` id.
    public func createClub(caller: Caller, id: String, name: String, timeZone: String,
                           defaultLocale: String, rejoinGraceSeconds: Int64) throws -> Club {
        try requireAdmin(caller, action: "CreateClub")
        let clubID = id.isEmpty ? "club_" + TextEncoding.hex(SecureRandom.bytes(count: 6)) : id
        try Validator.checkClubID(clubID)
        try Validator.checkName(name, field: "name", required: true)
        try Validator.checkTimeZone(timeZone, field: "time_zone", allowEmpty: true)
        try Validator.checkLocale(defaultLocale, field: "default_locale", allowEmpty: true)
        try Validator.checkGrace(rejoinGraceSeconds)
        let time = now
        let club = Club(id: clubID, name: name, timeZone: timeZone.isEmpty ? "UTC" : timeZone,
                        defaultLocale: defaultLocale.isEmpty ? "en" : defaultLocale,
                        rejoinGraceSeconds: rejoinGraceSeconds, createdAt: time, updatedAt: time)
        try write { database in
            if try !database.query("SELECT 1 FROM clubs WHERE club_id = ?", clubID).isEmpty {
                throw RPCError(code: .alreadyExists, message: "club \"\(clubID)\" already exists")
            }
            try database.run("""
                INSERT INTO clubs (club_id, name, time_zone, default_locale, rejoin_grace_seconds, created_at_ms, updated_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, club.id, club.name, club.timeZone, club.defaultLocale, club.rejoinGraceSeconds, time, time)
        }
        return club
    }

    /// Reads one club in the caller's scope.
    public func club(caller: Caller, id: String) throws -> Club {
        let clubID = try scope(caller, clubID: id)
        return try read { database in try Self.loadClub(database, clubID) }
    }

    /// Lists clubs in id order: all for the admin, only its own for a club key.
    public func listClubs(caller: Caller, pageSize: Int, after: String) throws -> (clubs: [Club], last: String?) {
        let limit = Self.pageLimit(pageSize)
        let rows = try read { database in
            if let own = caller.clubID {
                return try database.query("SELECT \(Self.clubColumns) FROM clubs WHERE club_id = ? AND club_id > ?", own, after)
            }
            return try database.query("SELECT \(Self.clubColumns) FROM clubs WHERE club_id > ? ORDER BY club_id LIMIT ?",
                                      after, limit + 1)
        }
        let clubs = rows.prefix(limit).map(Self.club(from:))
        return (Array(clubs), rows.count > limit ? clubs.last?.id : nil)
    }

    /// Applies `changes` to a club in the caller's scope.
    public func updateClub(caller: Caller, id: String, changes: ClubChanges) throws -> Club {
        let clubID = try scope(caller, clubID: id)
        if let name = changes.name { try Validator.checkName(name, field: "name", required: true) }
        if let timeZone = changes.timeZone { try Validator.checkTimeZone(timeZone, field: "time_zone", allowEmpty: false) }
        if let locale = changes.defaultLocale { try Validator.checkLocale(locale, field: "default_locale", allowEmpty: false) }
        if let grace = changes.rejoinGraceSeconds { try Validator.checkGrace(grace) }
        let time = now
        return try write { database in
            var club = try Self.loadClub(database, clubID)
            club.name = changes.name ?? club.name
            club.timeZone = changes.timeZone ?? club.timeZone
            club.defaultLocale = changes.defaultLocale ?? club.defaultLocale
            club.rejoinGraceSeconds = changes.rejoinGraceSeconds ?? club.rejoinGraceSeconds
            club.updatedAt = time
            try database.run("""
                UPDATE clubs SET name = ?, time_zone = ?, default_locale = ?, rejoin_grace_seconds = ?, updated_at_ms = ?
                WHERE club_id = ?
                """, club.name, club.timeZone, club.defaultLocale, club.rejoinGraceSeconds, time, clubID)
            return club
        }
    }

    static func loadClub(_ database: SQLiteDatabase, _ clubID: String) throws -> Club {
        guard let row = try database.query("SELECT \(clubColumns) FROM clubs WHERE club_id = ?", clubID).first else {
            throw clubNotFound(clubID)
        }
        return club(from: row)
    }

    static func club(from row: SQLiteRow) -> Club {
        Club(id: row.text(0), name: row.text(1), timeZone: row.text(2), defaultLocale: row.text(3),
             rejoinGraceSeconds: row.integer(4), createdAt: row.integer(5), updatedAt: row.integer(6))
    }

    /// A page size: 0 means 100, larger than 1000 means 1000.
    static func pageLimit(_ requested: Int) -> Int {
        requested <= 0 ? 100 : min(requested, 1000)
    }
}
