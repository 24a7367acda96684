import XCTest
@testable import IngestCore

final class ActivityValidatorTests: XCTestCase {
    private let now: Int64 = 1_800_000_000_000
    private let validator = ActivityValidator()

    private func reason(_ activity: ActivityBytes) -> String? {
        activity.bytes.withUnsafeBytes { bytes in
            switch validator.validate(bytes, now: now) {
            case .success: return nil
            case .failure(let rejection): return rejection.reason
            }
        }
    }

    func testValidActivityLocatesFields() throws {
        var activity = ActivityBytes()
        activity.kind = 5
        activity.currency = "JPY"
        activity.attributes = [("channel", "app")]
        let scanned = try activity.bytes.withUnsafeBytes { try validator.validate($0, now: now).get() }
        XCTAssertEqual(scanned.kind, 5)
        XCTAssertEqual(scanned.value, 30)
        XCTAssertEqual(scanned.attributeCount, 1)
        XCTAssertEqual(scanned.eventID.count, 5)
    }

    func testEveryRuleNamesItsField() {
        func expect(_ change: (inout ActivityBytes) -> Void, _ prefix: String, line: UInt = #line) {
            var activity = ActivityBytes()
            change(&activity)
            let result = reason(activity)
            XCTAssertTrue(result?.hasPrefix(prefix) ?? false, "got \(result ?? "accepted")", line: line)
        }
        expect({ $0.eventID = "" }, "event_id: must not be empty")
        expect({ $0.eventID = String(repeating: "e", count: 129) }, "event_id: 129 bytes")
        expect({ $0.clubID = "" }, "club_id: must not be empty")
        expect({ $0.memberID = "" }, "member_id: must not be empty")
        expect({ $0.itemID = String(repeating: "i", count: 200) }, "item_id: 200 bytes")
        expect({ $0.kind = 0 }, "kind: must be set")
        expect({ $0.kind = 11 }, "kind: unknown value 11")
        expect({ $0.occurredAt = 0 }, "occurred_at_ms: must be a positive")
        expect({ $0.occurredAt = self.now + 6 * 60_000 }, "occurred_at_ms:")
        expect({ $0.value = -1 }, "value: must not be negative")
        expect({ $0.kind = 5 }, "currency: required on purchases")
        expect({ $0.kind = 5; $0.currency = "jpy" }, "currency: \"jpy\" is not an ISO 4217 code")
        expect({ $0.kind = 5; $0.currency = "ABC" }, "currency: \"ABC\" is not an active")
        expect({ $0.currency = "JPY" }, "currency: only allowed on purchases")
        expect({ $0.attributes = (0..<33).map { ("k\($0)", "v") } }, "attributes: 33 entries")
        expect({ $0.attributes = [(String(repeating: "k", count: 65), "v")] }, "attributes: key")
        expect({ $0.attributes = [("k", String(repeating: "v", count: 257))] }, "attributes: value of \"k\"")
        expect({ $0.attributes = [("", "v")] }, "attributes: entry 1 has an empty key")
    }

    func testFutureWithinFiveMinutesIsAccepted() {
        var activity = ActivityBytes()
        activity.occurredAt = now + 4 * 60_000
        XCTAssertNil(reason(activity))
    }

    func testInvalidUTF8AndMalformedBytesAreRejected() {
        var writer = WireWriter()
        [UInt8]([0xFF, 0xFE]).withUnsafeBytes { writer.appendBytesField(1, $0) }
        let invalid = writer.bytes.withUnsafeBytes { validator.validate($0, now: now) }
        if case .failure(let rejection) = invalid { XCTAssertEqual(rejection.reason, "event_id: not valid UTF-8") } else { XCTFail("accepted") }
        let truncated: [UInt8] = [0x0A, 0x05, 0x61]
        let malformed = truncated.withUnsafeBytes { validator.validate($0, now: now) }
        if case .failure(let rejection) = malformed {
            XCTAssertTrue(rejection.reason.hasPrefix("activity is not valid protobuf"), rejection.reason)
        } else {
            XCTFail("accepted")
        }
        let wrongType: [UInt8] = [0x08, 0x01]
        let wrong = wrongType.withUnsafeBytes { validator.validate($0, now: now) }
        if case .failure(let rejection) = wrong { XCTAssertEqual(rejection.reason, "event_id: wrong wire type") } else { XCTFail("accepted") }
    }

    func testUTF8Check() {
        XCTAssertTrue(Array("plain ascii text here".utf8).withUnsafeBytes { ActivityValidator.isValidUTF8($0) })
        XCTAssertTrue(Array("ファンクラブ会員".utf8).withUnsafeBytes { ActivityValidator.isValidUTF8($0) })
        XCTAssertFalse([UInt8]([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0xC3]).withUnsafeBytes { ActivityValidator.isValidUTF8($0) })
    }
}
