import FanHeatRPC
import IdentityCore
import XCTest

final class MembershipTests: XCTestCase {
    func testJoinNumbersAndDuplicates() throws {
        let fixture = try IdentityTestFixture()
        _ = try fixture.makeClub("alpha")
        let first = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m1",
                                                 profile: MemberProfile(displayName: "Aki", birthday: Birthday(year: 0, month: 2, day: 29)))
        let second = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m2", profile: MemberProfile())
        XCTAssertEqual([first.membershipNumber, second.membershipNumber], [1, 2])
        XCTAssertEqual(first.status, .active)
        XCTAssertStatus(.alreadyExists, mentioning: "m1", try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m1", profile: MemberProfile()))
        XCTAssertStatus(.notFound, mentioning: "nope", try fixture.store.joinMember(caller: .admin, clubID: "nope", memberID: "m1", profile: MemberProfile()))
        XCTAssertStatus(.notFound, mentioning: "m9", try fixture.store.member(caller: .admin, clubID: "alpha", memberID: "m9"))
        let read = try fixture.store.member(caller: .admin, clubID: "alpha", memberID: "m1")
        XCTAssertEqual(read.profile?.birthday, Birthday(year: 0, month: 2, day: 29))
    }

    func testInvalidInputNamesTheField() throws {
        let fixture = try IdentityTestFixture()
        _ = try fixture.makeClub("alpha")
        let store = fixture.store
        XCTAssertStatus(.invalidArgument, mentioning: "member_id", try store.joinMember(caller: .admin, clubID: "alpha", memberID: "", profile: MemberProfile()))
        XCTAssertStatus(.invalidArgument, mentioning: "profile.birthday.day",
                        try store.joinMember(caller: .admin, clubID: "alpha", memberID: "x", profile: MemberProfile(birthday: Birthday(year: 2001, month: 2, day: 29))))
        XCTAssertStatus(.invalidArgument, mentioning: "profile.birthday.month",
                        try store.joinMember(caller: .admin, clubID: "alpha", memberID: "x", profile: MemberProfile(birthday: Birthday(year: 0, month: 13, day: 1))))
        XCTAssertStatus(.invalidArgument, mentioning: "profile.time_zone",
                        try store.joinMember(caller: .admin, clubID: "alpha", memberID: "x", profile: MemberProfile(timeZone: "Mars/Olympus")))
        XCTAssertStatus(.invalidArgument, mentioning: "profile.locale",
                        try store.joinMember(caller: .admin, clubID: "alpha", memberID: "x", profile: MemberProfile(locale: "not a locale")))
        XCTAssertStatus(.invalidArgument, mentioning: "time_zone",
                        try store.createClub(caller: .admin, id: "", name: "Z", timeZone: "Nowhere/City", defaultLocale: "", rejoinGraceSeconds: 0))
        XCTAssertStatus(.invalidArgument, mentioning: "name",
                        try store.createClub(caller: .admin, id: "", name: "", timeZone: "", defaultLocale: "", rejoinGraceSeconds: 0))
        XCTAssertStatus(.invalidArgument, mentioning: "club_id", try store.member(caller: .admin, clubID: "", memberID: "x"))
    }

    func testWithdrawRejoinWithinGraceKeepsNumberAndJoinDate() throws {
        let fixture = try IdentityTestFixture(graceSeconds: 3_600)
        let alpha = try fixture.makeClub("alpha")
        let joined = try fixture.store.joinMember(caller: alpha.caller, clubID: "", memberID: "m1", profile: MemberProfile())
        let token = try fixture.store.issueMemberToken(caller: alpha.caller, clubID: "", memberID: "m1", ttlSeconds: 600)
        XCTAssertEqual(try fixture.store.verifyMemberToken(caller: alpha.caller, token: token.token).membershipNumber, 1)
        fixture.advance(seconds: 10)
        let withdrawn = try fixture.store.withdrawMember(caller: alpha.caller, clubID: "", memberID: "m1")
        XCTAssertEqual(withdrawn.revokedTokens, 1)
        XCTAssertEqual(withdrawn.member.status, .withdrawn)
        XCTAssertStatus(.permissionDenied, mentioning: "withdrew", try fixture.store.verifyMemberToken(caller: alpha.caller, token: token.token))
        XCTAssertStatus(.failedPrecondition, try fixture.store.issueMemberToken(caller: alpha.caller, clubID: "", memberID: "m1", ttlSeconds: 0))
        fixture.advance(seconds: 3_000)
        let rejoined = try fixture.store.rejoinMember(caller: alpha.caller, clubID: "", memberID: "m1")
        XCTAssertTrue(rejoined.keptMembershipNumber)
        XCTAssertEqual(rejoined.member.membershipNumber, joined.membershipNumber)
        XCTAssertEqual(rejoined.member.joinedAt, joined.joinedAt)
        XCTAssertStatus(.unauthenticated, mentioning: "withdrew", try fixture.store.verifyMemberToken(caller: alpha.caller, token: token.token))
    }

    func testRejoinAfterGraceGetsNewNumber() throws {
        let fixture = try IdentityTestFixture(graceSeconds: 60)
        _ = try fixture.makeClub("alpha")
        _ = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m1", profile: MemberProfile())
        _ = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m2", profile: MemberProfile())
        _ = try fixture.store.withdrawMember(caller: .admin, clubID: "alpha", memberID: "m1")
        fixture.advance(seconds: 61)
        let rejoined = try fixture.store.rejoinMember(caller: .admin, clubID: "alpha", memberID: "m1")
        XCTAssertFalse(rejoined.keptMembershipNumber)
        XCTAssertEqual(rejoined.member.membershipNumber, 3)
        XCTAssertStatus(.failedPrecondition, try fixture.store.rejoinMember(caller: .admin, clubID: "alpha", memberID: "m1"))
    }

    func testEraseKeepsTombstoneAndStopsTokens() throws {
        let fixture = try IdentityTestFixture()
        _ = try fixture.makeClub("alpha")
        _ = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m1",
                                         profile: MemberProfile(displayName: "Aki", timeZone: "Asia/Tokyo"))
        let token = try fixture.store.issueMemberToken(caller: .admin, clubID: "alpha", memberID: "m1", ttlSeconds: 0)
        let tombstone = try fixture.store.eraseMember(caller: .admin, clubID: "alpha", memberID: "m1")
        XCTAssertEqual(tombstone.status, .erased)
        XCTAssertNil(tombstone.profile)
        let read = try fixture.store.member(caller: .admin, clubID: "alpha", memberID: "m1")
        XCTAssertEqual(read.status, .erased)
        XCTAssertNil(read.profile)
        XCTAssertStatus(.permissionDenied, mentioning: "erased", try fixture.store.verifyMemberToken(caller: .admin, token: token.token))
        let feed = try fixture.store.changes(clubID: "alpha", fromRevision: 1, limit: 10)
        XCTAssertEqual(feed.map(\.kind), [.joined, .erased])
        XCTAssertTrue(feed.allSatisfy { $0.member?.profile == nil })
    }

    func testTokenExpiryAndRevocation() throws {
        let fixture = try IdentityTestFixture()
        _ = try fixture.makeClub("alpha")
        _ = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "m1", profile: MemberProfile())
        let short = try fixture.store.issueMemberToken(caller: .admin, clubID: "alpha", memberID: "m1", ttlSeconds: 5)
        let other = try fixture.store.issueMemberToken(caller: .admin, clubID: "alpha", memberID: "m1", ttlSeconds: 500)
        fixture.advance(seconds: 6)
        XCTAssertStatus(.unauthenticated, mentioning: "expired", try fixture.store.verifyMemberToken(caller: .admin, token: short.token))
        XCTAssertTrue(try fixture.store.revokeMemberToken(caller: .admin, token: "", tokenID: other.tokenID).wasActive)
        XCTAssertStatus(.unauthenticated, mentioning: "revoked", try fixture.store.verifyMemberToken(caller: .admin, token: other.token))
        XCTAssertStatus(.unauthenticated, try fixture.store.verifyMemberToken(caller: .admin, token: "fhm_garbage"))
        XCTAssertStatus(.invalidArgument, mentioning: "ttl_seconds",
                        try fixture.store.issueMemberToken(caller: .admin, clubID: "alpha", memberID: "m1", ttlSeconds: -1))
    }

    func testFeedRevisionsIncreaseAndSurviveReopen() throws {
        let fixture = try IdentityTestFixture()
        _ = try fixture.makeClub("alpha")
        _ = try fixture.makeClub("beta")
        _ = try fixture.store.joinMember(caller: .admin, clubID: "alpha", memberID: "a1", profile: MemberProfile())
        _ = try fixture.store.joinMember(caller: .admin, clubID: "beta", memberID: "b1", profile: MemberProfile())
        _ = try fixture.store.updateMember(caller: .admin, clubID: "alpha", memberID: "a1",
                                           profile: MemberProfile(displayName: "New"), fields: .displayName)
        _ = try fixture.store.withdrawMember(caller: .admin, clubID: "alpha", memberID: "a1")
        let all = try fixture.store.changes(clubID: nil, fromRevision: 0, limit: 100)
        XCTAssertEqual(all.map(\.revision), [1, 2, 3, 4])
        XCTAssertEqual(try fixture.store.changes(clubID: "alpha", fromRevision: 0, limit: 100).map(\.kind), [.joined, .updated, .withdrawn])
        XCTAssertEqual(fixture.store.notifier.latest, 4)
        let reopened = try IdentityTestFixture.open(directory: fixture.directory, clock: fixture.clock, graceSeconds: 60)
        XCTAssertEqual(try reopened.headRevision(), 4)
        XCTAssertEqual(try reopened.member(caller: .admin, clubID: "alpha", memberID: "a1").profile?.displayName, "New")
    }

    func testNotifierWakesWaiters() async throws {
        let notifier = RevisionNotifier(latest: 5)
        let waiter = Task { await notifier.wait(after: 5); return notifier.latest }
        try await Task.sleep(for: .milliseconds(20))
        notifier.publish(6)
        let seen = await waiter.value
        XCTAssertEqual(seen, 6)
        let cancelled = Task { await notifier.wait(after: 6) }
        cancelled.cancel()
        await cancelled.value
        XCTAssertEqual(notifier.latest, 6)
    }
}
