import FanHeatRPC
import IdentityCore
import XCTest

final class AuthorizationTests: XCTestCase {
    func testAdminKeyAndClubKeysAuthenticate() throws {
        let fixture = try IdentityTestFixture()
        XCTAssertEqual(try fixture.store.authenticate(bearer: IdentityTestFixture.adminKey), .admin)
        let club = try fixture.makeClub("alpha")
        XCTAssertEqual(club.caller.clubID, "alpha")
        XCTAssertStatus(.unauthenticated, mentioning: "missing", try fixture.store.authenticate(bearer: nil))
        XCTAssertStatus(.unauthenticated, try fixture.store.authenticate(bearer: "wrong"))
        XCTAssertStatus(.unauthenticated, try fixture.store.authenticate(bearer: club.secret.dropLast() + (club.secret.hasSuffix("A") ? "B" : "A")))
    }

    func testRevokedKeyStopsAtOnce() throws {
        let fixture = try IdentityTestFixture()
        let club = try fixture.makeClub("alpha")
        let keys = try fixture.store.listApiKeys(caller: .admin, clubID: "alpha", includeRevoked: false)
        XCTAssertEqual(keys.count, 1)
        _ = try fixture.store.revokeApiKey(caller: .admin, clubID: "alpha", keyID: keys[0].id)
        XCTAssertStatus(.unauthenticated, mentioning: "revoked", try fixture.store.authenticate(bearer: club.secret))
        XCTAssertEqual(try fixture.store.listApiKeys(caller: .admin, clubID: "alpha", includeRevoked: false).count, 0)
        XCTAssertEqual(try fixture.store.listApiKeys(caller: .admin, clubID: "alpha", includeRevoked: true).count, 1)
    }

    func testClubKeyIsDeniedOnAnotherClubsResources() throws {
        let fixture = try IdentityTestFixture()
        let alpha = try fixture.makeClub("alpha")
        _ = try fixture.makeClub("beta")
        _ = try fixture.store.joinMember(caller: .admin, clubID: "beta", memberID: "b1", profile: MemberProfile(displayName: "B"))
        let token = try fixture.store.issueMemberToken(caller: .admin, clubID: "beta", memberID: "b1", ttlSeconds: 60)
        let betaKey = try fixture.store.listApiKeys(caller: .admin, clubID: "beta", includeRevoked: false)[0]
        let caller = alpha.caller
        let store = fixture.store
        XCTAssertStatus(.permissionDenied, try store.club(caller: caller, id: "beta"))
        XCTAssertStatus(.permissionDenied, try store.updateClub(caller: caller, id: "beta", changes: ClubChanges(name: "x")))
        XCTAssertStatus(.permissionDenied, try store.createApiKey(caller: caller, clubID: "beta", name: ""))
        XCTAssertStatus(.permissionDenied, try store.listApiKeys(caller: caller, clubID: "beta", includeRevoked: true))
        XCTAssertStatus(.permissionDenied, try store.revokeApiKey(caller: caller, clubID: "beta", keyID: betaKey.id))
        XCTAssertStatus(.permissionDenied, try store.revokeApiKey(caller: caller, clubID: "alpha", keyID: betaKey.id))
        XCTAssertStatus(.permissionDenied, try store.joinMember(caller: caller, clubID: "beta", memberID: "x", profile: MemberProfile()))
        XCTAssertStatus(.permissionDenied, try store.member(caller: caller, clubID: "beta", memberID: "b1"))
        XCTAssertStatus(.permissionDenied, try store.listMembers(caller: caller, clubID: "beta", pageSize: 10, after: ""))
        XCTAssertStatus(.permissionDenied, try store.withdrawMember(caller: caller, clubID: "beta", memberID: "b1"))
        XCTAssertStatus(.permissionDenied, try store.rejoinMember(caller: caller, clubID: "beta", memberID: "b1"))
        XCTAssertStatus(.permissionDenied, try store.eraseMember(caller: caller, clubID: "beta", memberID: "b1"))
        XCTAssertStatus(.permissionDenied, try store.issueMemberToken(caller: caller, clubID: "beta", memberID: "b1", ttlSeconds: 0))
        XCTAssertStatus(.permissionDenied, try store.verifyMemberToken(caller: caller, token: token.token))
        XCTAssertStatus(.permissionDenied, try store.revokeMemberToken(caller: caller, token: token.token, tokenID: ""))
        XCTAssertStatus(.permissionDenied, try store.feedScope(caller: caller, clubID: "beta"))
        XCTAssertStatus(.permissionDenied, try store.createClub(caller: caller, id: "gamma", name: "G", timeZone: "", defaultLocale: "", rejoinGraceSeconds: 0))
        XCTAssertEqual(try store.listClubs(caller: caller, pageSize: 0, after: "").clubs.map(\.id), ["alpha"])
        XCTAssertEqual(try store.verifyMemberToken(caller: .admin, token: token.token).memberID, "b1")
    }

    func testVerifyApiKeyRules() throws {
        let fixture = try IdentityTestFixture()
        let alpha = try fixture.makeClub("alpha")
        let beta = try fixture.makeClub("beta")
        XCTAssertEqual(try fixture.store.verifyApiKey(caller: alpha.caller, bearer: alpha.secret, secret: "").clubID, "alpha")
        XCTAssertEqual(try fixture.store.verifyApiKey(caller: .admin, bearer: IdentityTestFixture.adminKey, secret: beta.secret).clubID, "beta")
        XCTAssertStatus(.permissionDenied, try fixture.store.verifyApiKey(caller: alpha.caller, bearer: alpha.secret, secret: beta.secret))
        XCTAssertStatus(.unauthenticated, try fixture.store.verifyApiKey(caller: .admin, bearer: IdentityTestFixture.adminKey, secret: "fh_live_nope"))
    }
}
