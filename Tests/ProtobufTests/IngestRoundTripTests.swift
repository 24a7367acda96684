import FanHeatContracts
import FanHeatProtobuf
import XCTest

/// Encode/decode round trips of the ingest contract's messages.
final class IngestRoundTripTests: XCTestCase {
    static func sampleActivity(_ index: Int) -> Fanheat_Ingest_V1_Activity {
        var activity = Fanheat_Ingest_V1_Activity()
        activity.eventID = "01JD3Y5K8M2Q7R9T4V6W8X0Z\(index % 10)A"
        activity.clubID = "club-tokyo-ravens"
        activity.memberID = "m0123456789a"
        activity.kind = .purchase
        activity.occurredAtMs = 1_763_900_000_000 + Int64(index) * 137
        activity.itemID = "item-004242"
        activity.value = 12_000
        activity.currency = "JPY"
        activity.attributes = ["channel": "app", "ラベル": "ファン"]
        return activity
    }

    func testIngestRequestRoundTrips() throws {
        var request = Fanheat_Ingest_V1_IngestRequest()
        request.activities = (0..<100).map(Self.sampleActivity)
        let bytes = request.serializedBytes()
        XCTAssertEqual(bytes.count, request.serializedSize())
        let decoded = try Fanheat_Ingest_V1_IngestRequest(serializedBytes: bytes)
        XCTAssertEqual(decoded, request)
        XCTAssertEqual(decoded.activities[7].kind, .purchase)
        XCTAssertEqual(decoded.activities[7].attributes["ラベル"], "ファン")
    }

    func testDefaultsAreOmittedAndEmptyMessageIsEmpty() {
        XCTAssertEqual(Fanheat_Ingest_V1_Activity().serializedBytes(), [])
        var response = Fanheat_Ingest_V1_IngestResponse()
        response.accepted = 1
        XCTAssertEqual(response.serializedBytes(), [0x08, 0x01])
    }

    func testSerializeAppendingToKeepsPrefix() throws {
        var response = Fanheat_Ingest_V1_IngestResponse()
        response.accepted = 300
        response.rejections = [Fanheat_Ingest_V1_Rejection()]
        response.rejections[0].index = 1
        response.rejections[0].reason = "member_id is empty"
        var buffer: [UInt8] = [0, 0, 0, 0, 0]
        response.serialize(appendingTo: &buffer)
        XCTAssertEqual(Array(buffer[0..<5]), [0, 0, 0, 0, 0])
        XCTAssertEqual(Array(buffer[5...]), response.serializedBytes())
        XCTAssertEqual(try Fanheat_Ingest_V1_IngestResponse(serializedBytes: Array(buffer[5...])), response)
    }

    func testUnknownEnumValueIsKept() throws {
        // kind = 99 (field 4, varint)
        let activity = try Fanheat_Ingest_V1_Activity(serializedBytes: [0x20, 99])
        XCTAssertEqual(activity.kind, .unrecognized(99))
        XCTAssertEqual(activity.serializedBytes(), [0x20, 99])
    }

    func testUnknownFieldsAreKeptAndReemitted() throws {
        // field 1 "a", then unknown field 100 (varint 5) and unknown field 9 (fixed32)
        let input: [UInt8] = [0x0A, 0x01, 0x61, 0xA0, 0x06, 0x05, 0x4D, 1, 2, 3, 4]
        let rejection = try Fanheat_Ingest_V1_Activity(serializedBytes: input)
        XCTAssertEqual(rejection.eventID, "a")
        XCTAssertEqual(rejection.unknownFields.bytes, [0xA0, 0x06, 0x05, 0x4D, 1, 2, 3, 4])
        XCTAssertEqual(rejection.serializedBytes(), input)
    }

    func testGrowableWriterMatchesSizedEncoding() {
        var request = Fanheat_Ingest_V1_IngestRequest()
        request.activities = (0..<20).map(Self.sampleActivity)
        var writer = ProtobufWriter()
        request.encodeMessage(to: &writer)
        XCTAssertEqual(writer.bytes, request.serializedBytes())
    }
}
