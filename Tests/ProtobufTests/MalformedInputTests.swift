import FanHeatContracts
import FanHeatProtobuf
import XCTest

/// Malformed input must throw an error naming the problem: never trap, never read out
/// of bounds, never allocate what the input does not justify.
final class MalformedInputTests: XCTestCase {
    private func decodingError(_ bytes: [UInt8], as type: (some ProtobufMessage).Type = AllTypes.self,
                               file: StaticString = #filePath, line: UInt = #line) -> ProtobufDecodingError? {
        do {
            _ = try type.init(serializedBytes: bytes)
            XCTFail("decoding \(bytes) succeeded", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testTruncatedVarintValue() {
        XCTAssertEqual(decodingError([0x28, 0x80]), .truncated(fieldNumber: 5))
    }

    func testTruncatedTag() {
        XCTAssertEqual(decodingError([0x80]), .truncated(fieldNumber: 0))
    }

    func testTruncatedFixedWidthValues() {
        XCTAssertEqual(decodingError([0x09, 1, 2, 3]), .truncated(fieldNumber: 1))
        XCTAssertEqual(decodingError([0x3D, 1, 2]), .truncated(fieldNumber: 7))
    }

    func testOverlongVarint() {
        let error = decodingError([0x28] + [UInt8](repeating: 0xFF, count: 10) + [0x01])
        XCTAssertEqual(error, .overlongVarint(fieldNumber: 5))
        XCTAssertEqual(error?.description, "overlong varint (more than 10 bytes) in field 5")
    }

    func testLengthPastEnd() {
        XCTAssertEqual(decodingError([0x4A, 0x05, 0x61]), .lengthPastEnd(fieldNumber: 9, length: 5, remaining: 1))
    }

    func testHugeClaimedLengthAllocatesNothing() {
        // 10 bytes claiming a 2 GB bytes field, then a 2^63 one: rejected before any allocation.
        XCTAssertEqual(decodingError([0x52, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0]),
                       .lengthPastEnd(fieldNumber: 10, length: 2_147_483_648, remaining: 4))
        let huge: [UInt8] = [0x52, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        XCTAssertEqual(decodingError(huge), .lengthPastEnd(fieldNumber: 10, length: 1 << 63, remaining: 0))
        // A packed field claiming many elements.
        XCTAssertEqual(decodingError([0xCA, 0x01, 0xFF, 0xFF, 0xFF, 0x7F]),
                       .lengthPastEnd(fieldNumber: 25, length: 268_435_455, remaining: 0))
    }

    func testWrongWireTypeForKnownField() {
        let error = decodingError([0x4D, 0, 0, 0, 0])  // field 9 (string) as fixed32
        XCTAssertEqual(error, .wrongWireType(fieldNumber: 9, wireType: 5))
        XCTAssertEqual(error?.description, "wrong wire type 5 (fixed32) for field 9")
        XCTAssertEqual(decodingError([0x08, 0x01], as: Fanheat_Ingest_V1_IngestRequest.self),
                       .wrongWireType(fieldNumber: 1, wireType: 0))
    }

    func testGroupWireTypes() {
        XCTAssertEqual(decodingError([0x0B, 0x0C]), .groupWireType(fieldNumber: 1))
        XCTAssertEqual(decodingError([0xA3, 0x06]), .groupWireType(fieldNumber: 100))
        XCTAssertEqual(decodingError([0x0C]), .groupWireType(fieldNumber: 1))
    }

    func testInvalidWireTypeAndFieldNumberZero() {
        XCTAssertEqual(decodingError([0xA6, 0x06]), .invalidWireType(fieldNumber: 100, wireType: 6))
        XCTAssertEqual(decodingError([0x00, 0x01]), .invalidTag(0))
        XCTAssertEqual(decodingError([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), .invalidTag(1 << 35))
    }

    func testBadUTF8() {
        let error = decodingError([0x4A, 0x02, 0xC3, 0x28])
        XCTAssertEqual(error, .invalidUTF8(fieldNumber: 9))
        XCTAssertEqual(error?.description, "bad UTF-8 in string field 9")
        XCTAssertEqual(decodingError([0x0A, 0x03, 0xED, 0xA0, 0x80], as: Fanheat_Ingest_V1_Activity.self),
                       .invalidUTF8(fieldNumber: 1))  // an encoded UTF-16 surrogate
        // In a map key, and in a oneof.
        XCTAssertEqual(decodingError([0x92, 0x03, 0x03, 0x0A, 0x01, 0xFF]), .invalidUTF8(fieldNumber: 1))
        XCTAssertEqual(decodingError([0xB2, 0x04, 0x01, 0x80]), .invalidUTF8(fieldNumber: 70))
    }

    func testBytesFieldsAcceptAnyBytes() throws {
        XCTAssertEqual(try AllTypes(serializedBytes: [0x52, 0x02, 0xC3, 0x28]).fBytes, [0xC3, 0x28])
    }

    func testNestingDeeperThan100() throws {
        func nestedEncoding(depth: Int) -> [UInt8] {
            var inner: [UInt8] = []
            for _ in 0..<depth {
                var outer: [UInt8] = [0x1A]  // Nested.children
                var length = UInt64(inner.count)
                while length >= 0x80 { outer.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
                outer.append(UInt8(length))
                inner = outer + inner
            }
            return inner
        }
        XCTAssertNoThrow(try Nested(serializedBytes: nestedEncoding(depth: 100)))
        let error = decodingError(nestedEncoding(depth: 101), as: Nested.self)
        XCTAssertEqual(error, .nestingTooDeep(limit: 100))
        XCTAssertEqual(error?.description, "messages nested deeper than 100 levels")
        XCTAssertEqual(decodingError(nestedEncoding(depth: 5000), as: Nested.self), .nestingTooDeep(limit: 100))
    }

    func testPackedFixedLengthMustBeAMultiple() {
        XCTAssertEqual(decodingError([0xAA, 0x01, 0x03, 1, 2, 3]),
                       .invalidPackedLength(fieldNumber: 21, length: 3, elementSize: 8))
    }

    func testNestedLengthPastParentEnd() {
        // f_nested claims 3 bytes holding a string that claims 5.
        XCTAssertEqual(decodingError([0x8A, 0x01, 0x03, 0x12, 0x05, 0x61]),
                       .lengthPastEnd(fieldNumber: 2, length: 5, remaining: 1))
    }

    func testEmptyInputIsTheDefaultMessage() throws {
        XCTAssertEqual(try AllTypes(serializedBytes: []), AllTypes())
        XCTAssertEqual(try AllTypes(decoding: UnsafeRawBufferPointer(start: nil, count: 0)), AllTypes())
    }
}
