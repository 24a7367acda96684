import FanHeatStorage

/// The identity database's versioned schema.
enum IdentitySchema {
    /// Every migration, in order; never edit one that has shipped, add a new one.
    static let migrations: [SQLiteMigration] = [
        SQLiteMigration(version: 1, name: "clubs, keys, members, tokens, membership feed", sql: """
            CREATE TABLE clubs (
                club_id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                default_locale TEXT NOT NULL,
                rejoin_grace_seconds INTEGER NOT NULL DEFAULT 0,
                next_membership_number INTEGER NOT NULL DEFAULT 1,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            );
            CREATE TABLE api_keys (
                key_id TEXT PRIMARY KEY,
                club_id TEXT NOT NULL REFERENCES clubs(club_id),
                name TEXT NOT NULL,
                secret_sha256 BLOB NOT NULL,
                created_at_ms INTEGER NOT NULL,
                revoked_at_ms INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX api_keys_by_club ON api_keys(club_id, created_at_ms);
            CREATE TABLE members (
                club_id TEXT NOT NULL REFERENCES clubs(club_id),
                member_id TEXT NOT NULL,
                membership_number INTEGER NOT NULL,
                state INTEGER NOT NULL,
                display_name TEXT,
                birthday_year INTEGER,
                birthday_month INTEGER,
                birthday_day INTEGER,
                time_zone TEXT,
                locale TEXT,
                preferences TEXT,
                joined_at_ms INTEGER NOT NULL,
                withdrawn_at_ms INTEGER NOT NULL DEFAULT 0,
                erased_at_ms INTEGER NOT NULL DEFAULT 0,
                updated_at_ms INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                rejoin_deadline_ms INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (club_id, member_id)
            );
            CREATE UNIQUE INDEX members_by_number ON members(club_id, membership_number);
            CREATE TABLE member_tokens (
                token_id TEXT PRIMARY KEY,
                club_id TEXT NOT NULL,
                member_id TEXT NOT NULL,
                token_sha256 BLOB NOT NULL,
                issued_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER NOT NULL,
                revoked_at_ms INTEGER NOT NULL DEFAULT 0,
                revoked_reason TEXT NOT NULL DEFAULT '',
                FOREIGN KEY (club_id, member_id) REFERENCES members(club_id, member_id)
            );
            CREATE INDEX member_tokens_by_member ON member_tokens(club_id, member_id);
            CREATE TABLE membership_changes (
                revision INTEGER PRIMARY KEY AUTOINCREMENT,
                club_id TEXT NOT NULL,
                member_id TEXT NOT NULL,
                kind INTEGER NOT NULL,
                state INTEGER NOT NULL,
                membership_number INTEGER NOT NULL,
                joined_at_ms INTEGER NOT NULL,
                withdrawn_at_ms INTEGER NOT NULL,
                erased_at_ms INTEGER NOT NULL,
                rejoin_deadline_ms INTEGER NOT NULL,
                occurred_at_ms INTEGER NOT NULL
            );
            CREATE INDEX membership_changes_by_club ON membership_changes(club_id, revision);
            """),
    ]
}
