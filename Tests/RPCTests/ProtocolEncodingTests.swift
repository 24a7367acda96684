import FanHeatRPC
import XCTest

final class ProtocolEncodingTests: XCTestCase {
    func testTimeoutParsesEveryUnit() {
        XCTAssertEqual(GRPCTimeout.parse("2H"), .seconds(7200))
        XCTAssertEqual(GRPCTimeout.parse("3M"), .seconds(180))
        XCTAssertEqual(GRPCTimeout.parse("5S"), .seconds(5))
        XCTAssertEqual(GRPCTimeout.parse("250m"), .milliseconds(250))
        XCTAssertEqual(GRPCTimeout.parse("7u"), .microseconds(7))
        XCTAssertEqual(GRPCTimeout.parse("99999999n"), .nanoseconds(99_999_999))
    }

    func testTimeoutRejectsMalformedValues() {
        for bad in ["", "S", "1x", "123456789S", "-1S", "1.5S"] { XCTAssertNil(GRPCTimeout.parse(bad), bad) }
    }

    func testTimeoutFormatRoundTripsWithinEightDigits() {
        XCTAssertEqual(GRPCTimeout.format(.milliseconds(1500)), "1500000u")
        XCTAssertEqual(GRPCTimeout.format(.seconds(1)), "1000000u")
        XCTAssertEqual(GRPCTimeout.format(.seconds(86_400 * 400)), "34560000S")
        XCTAssertEqual(GRPCTimeout.format(.seconds(86_400 * 4000)), "5760000M")
        XCTAssertEqual(GRPCTimeout.parse(GRPCTimeout.format(.milliseconds(20))), .milliseconds(20))
    }

    func testPercentEncodingOfStatusMessages() {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"
        let encoded = PercentEncoding.encode(message)
        XCTAssertFalse(encoded.utf8.contains { $0 < 0x20 || $0 > 0x7E })
        XCTAssertTrue(encoded.hasPrefix("%09%0Atest with whitespace%0D%0A"))
        XCTAssertEqual(PercentEncoding.decode(encoded), message)
        XCTAssertEqual(PercentEncoding.encode("100%"), "100%25")
        XCTAssertEqual(PercentEncoding.decode("bad %zz escape"), "bad %zz escape")
    }

    func testBase64AcceptsPaddedAndUnpadded() {
        let bytes: [UInt8] = [0xAB, 0xAB, 0xAB]
        XCTAssertEqual(Base64.encode(bytes), "q6ur")
        XCTAssertEqual(Base64.encode([0x0A, 0x0B]), "Cgs")
        XCTAssertEqual(Base64.encode([0x0A, 0x0B], padding: true), "Cgs=")
        XCTAssertEqual(Base64.decode("Cgs="), [0x0A, 0x0B])
        XCTAssertEqual(Base64.decode("Cgs"), [0x0A, 0x0B])
        XCTAssertEqual(Base64.decode("AQ=="), [1])
        XCTAssertEqual(Base64.decode("AQ"), [1])
        XCTAssertNil(Base64.decode("A"))
        XCTAssertNil(Base64.decode("a*b"))
        for length in 0..<20 {
            let data = (0..<length).map { UInt8(($0 * 37) & 0xFF) }
            XCTAssertEqual(Base64.decode(Base64.encode(data)), data)
            XCTAssertEqual(Base64.decode(Base64.encode(data, padding: true)), data)
        }
    }

    func testBinaryMetadataRoundTripsThroughHeaders() {
        var metadata = Metadata()
        metadata.addBinary([0xAB, 0xAB, 0xAB], forKey: "X-Grpc-Test-Echo-Trailing-Bin")
        metadata.addString("v", forKey: "x-plain")
        let fields = metadata.headerFields
        XCTAssertEqual(fields, [HeaderField("x-grpc-test-echo-trailing-bin", "q6ur"), HeaderField("x-plain", "v")])
        var received = Metadata()
        for field in fields { XCTAssertTrue(received.addReceived(name: field.name, value: field.value)) }
        XCTAssertEqual(received.firstBinary(forKey: "x-grpc-test-echo-trailing-bin"), [0xAB, 0xAB, 0xAB])
        XCTAssertFalse(received.addReceived(name: "x-bad-bin", value: "!!"))
    }
}
