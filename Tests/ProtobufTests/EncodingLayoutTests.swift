import FanHeatContracts
import FanHeatProtobuf
import XCTest

/// The encoder's layout decisions that the goldens do not pin down on their own:
/// nested-message length prefixes written after the fields (1, 2 and 3 bytes), map entries
/// in key order for small (stack-sorted) and large maps, and the decoder's capacity hint
/// for repeated fields.
final class EncodingLayoutTests: XCTestCase {
    /// The (key bytes, value bytes) of every entry of field `number` at the top level of `bytes`.
    private func mapKeys(_ bytes: [UInt8], field number: Int) throws -> [[UInt8]] {
        try bytes.withUnsafeBytes { buffer -> [[UInt8]] in
            var reader = ProtobufReader(buffer: buffer)
            var keys: [[UInt8]] = []
            while reader.hasRemaining {
                _ = try reader.readTag()
                guard reader.fieldNumber == number else { try reader.skipFieldValue(); continue }
                let outerEnd = try reader.enterLengthDelimited()
                _ = try reader.readTag()
                XCTAssertEqual(reader.fieldNumber, 1, "the key comes first")
                keys.append(try reader.readBytes())
                while reader.hasRemaining { _ = try reader.readTag(); try reader.skipFieldValue() }
                reader.leaveLengthDelimited(outerEnd)
            }
            return keys
        }
    }

    func testNestedMessageLengthPrefixesOfOneTwoAndThreeBytes() throws {
        for noteLength in [0, 120, 125, 126, 127, 200, 16_380, 20_000] {
            var message = AllTypes()
            message.fNested = GoldenCorpus.nested(7, note: String(repeating: "x", count: noteLength),
                                                  children: [GoldenCorpus.nested(1, note: String(repeating: "y", count: noteLength))])
            let bytes = message.serializedBytes()
            XCTAssertEqual(bytes.count, message.serializedSize(), "note \(noteLength)")
            XCTAssertEqual(try AllTypes(serializedBytes: bytes), message, "note \(noteLength)")
            // Field 17 (tag 0x8A 0x01), then the nested message's length as a varint.
            XCTAssertEqual(Array(bytes.prefix(2)), [0x8A, 0x01])
            let nestedSize = message.fNested!.serializedSize()
            var expectedPrefix: [UInt8] = []
            var value = nestedSize
            while value >= 0x80 { expectedPrefix.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
            expectedPrefix.append(UInt8(value))
            XCTAssertEqual(Array(bytes[2..<(2 + expectedPrefix.count)]), expectedPrefix, "note \(noteLength)")
            XCTAssertEqual(bytes.count, 2 + expectedPrefix.count + nestedSize)
            // The same through serialize(appendingTo:), after existing bytes.
            var appended: [UInt8] = [1, 2, 3]
            message.serialize(appendingTo: &appended)
            XCTAssertEqual(Array(appended.dropFirst(3)), bytes)
        }
    }

    func testMapEntriesAreWrittenInKeyOrderForSmallAndLargeMaps() throws {
        var generator = SystemRandomNumberGenerator()
        for count in [1, 2, 3, 8, 9, 40] {
            var message = AllTypes()
            for index in 0..<count { message.mStringString["key-\(1000 + index * 7 % count)-\(index)"] = "v\(index)" }
            for index in 0..<count { message.mInt32Int64[Int32.random(in: -1_000_000...1_000_000, using: &generator)] = Int64(index) }
            let bytes = message.serializedBytes()
            let stringKeys = try mapKeys(bytes, field: 50).map { String(decoding: $0, as: UTF8.self) }
            XCTAssertEqual(stringKeys, message.mStringString.keys.sorted(), "\(count) string keys")
            XCTAssertEqual(try AllTypes(serializedBytes: bytes), message)
            // Equal maps built in another insertion order encode to the same bytes.
            var reordered = AllTypes()
            for key in message.mStringString.keys.sorted().reversed() { reordered.mStringString[key] = message.mStringString[key] }
            for key in message.mInt32Int64.keys.sorted() { reordered.mInt32Int64[key] = message.mInt32Int64[key] }
            XCTAssertEqual(reordered.serializedBytes(), bytes, "\(count) entries")
        }
        var bools = AllTypes()
        bools.mBoolBytes = [true: [1], false: [0]]
        // Field 53 (tag 0xAA 0x03): the `false` entry, then the `true` one.
        XCTAssertEqual(bools.serializedBytes(), [0xAA, 0x03, 0x05, 0x08, 0x00, 0x12, 0x01, 0x00,
                                                 0xAA, 0x03, 0x05, 0x08, 0x01, 0x12, 0x01, 0x01])
    }

    func testCapacityHintCountsTheCurrentTagToTheEndOfTheMessage() throws {
        // Field 1 (tag 0x0A) three times, field 2 in between, then a nested message holding
        // field 1 twice, which is skipped as a whole.
        let bytes: [UInt8] = [0x0A, 0x00, 0x10, 0x01, 0x0A, 0x01, 0x41, 0x12, 0x04, 0x0A, 0x00, 0x0A, 0x00, 0x0A, 0x00]
        try bytes.withUnsafeBytes { buffer in
            var reader = ProtobufReader(buffer: buffer)
            XCTAssertEqual(try reader.readTag(), 0x0A)
            XCTAssertEqual(reader.occurrencesOfCurrentTag(), 3)
            XCTAssertEqual(reader.remainingCount, bytes.count - 1, "the hint reads nothing")
        }
        // A malformed field ends the count (its tag counted); decoding still reports the error.
        let truncated: [UInt8] = [0x0A, 0x00, 0x0A, 0x00, 0x0A, 0x05, 0x41]
        try truncated.withUnsafeBytes { buffer in
            var reader = ProtobufReader(buffer: buffer)
            _ = try reader.readTag()
            XCTAssertEqual(reader.occurrencesOfCurrentTag(), 3)
        }
        XCTAssertThrowsError(try Fanheat_Ingest_V1_IngestRequest(serializedBytes: truncated))
        // Activities interleaved with unknown fields all arrive, in order.
        var request = Fanheat_Ingest_V1_IngestRequest()
        var encoded: [UInt8] = []
        for index in 0..<5 {
            var activity = Fanheat_Ingest_V1_Activity()
            activity.eventID = "e\(index)"
            request.activities.append(activity)
            encoded += [0x0A] + [UInt8(activity.serializedSize())] + activity.serializedBytes() + [0x78, UInt8(index)]
        }
        let decoded = try Fanheat_Ingest_V1_IngestRequest(serializedBytes: encoded)
        XCTAssertEqual(decoded.activities, request.activities)
        XCTAssertEqual(decoded.unknownFields.bytes, [0x78, 0, 0x78, 1, 0x78, 2, 0x78, 3, 0x78, 4])
    }
}
