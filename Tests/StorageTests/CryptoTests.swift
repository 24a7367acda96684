import FanHeatCrypto
import XCTest

final class CryptoTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(TextEncoding.hex(Digest.sha256("abc")),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(TextEncoding.hex(Digest.sha256("")),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testHMACSHA256RFC4231Case2() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(TextEncoding.hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testConstantTimeEquals() {
        XCTAssertTrue(Digest.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Digest.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(Digest.constantTimeEquals([1, 2], [1, 2, 3]))
        XCTAssertTrue(Digest.constantTimeEquals([], []))
    }

    func testRandomBytesDiffer() {
        let first = SecureRandom.bytes(count: 32)
        let second = SecureRandom.bytes(count: 32)
        XCTAssertEqual(first.count, 32)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(SecureRandom.bytes(count: 0), [])
    }

    func testEncodings() {
        XCTAssertEqual(TextEncoding.base64URL(Array("hello?>".utf8)), "aGVsbG8_Pg")
        XCTAssertEqual(TextEncoding.base64URL([0xfb, 0xff]), "-_8")
        XCTAssertEqual(TextEncoding.bytes(fromHex: "00ffA0"), [0, 255, 160])
        XCTAssertNil(TextEncoding.bytes(fromHex: "abc"))
        XCTAssertNil(TextEncoding.bytes(fromHex: "zz"))
    }

    func testSecretTokensParseAndReject() throws {
        let token = SecretToken.generate(prefix: "fh_live_")
        XCTAssertTrue(token.secret.hasPrefix("fh_live_" + token.id + "_"))
        let parsed = try XCTUnwrap(SecretToken.parse(token.secret, prefix: "fh_live_"))
        XCTAssertEqual(parsed.id, token.id)
        XCTAssertEqual(parsed.digest, Digest.sha256(token.secret))
        XCTAssertNil(SecretToken.parse(token.secret, prefix: "fhm_"))
        XCTAssertNil(SecretToken.parse(token.secret + "x", prefix: "fh_live_"))
        XCTAssertNil(SecretToken.parse("fh_live_" + String(repeating: "z", count: 60), prefix: "fh_live_"))
        XCTAssertNotEqual(SecretToken.generate(prefix: "p").secret, SecretToken.generate(prefix: "p").secret)
    }
}
