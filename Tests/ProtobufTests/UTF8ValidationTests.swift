import FanHeatContracts
import FanHeatProtobuf
import XCTest

/// String decoding at every length the ASCII fast paths split on (byte loop, two
/// overlapping 4-byte or 8-byte loads, 8-byte words), with a non-ASCII byte at every position.
final class UTF8ValidationTests: XCTestCase {
    /// `f_string` (field 9) holding `payload`.
    private func encoded(_ payload: [UInt8]) -> [UInt8] { [0x4A, UInt8(payload.count)] + payload }

    func testEveryLengthAndPositionOfAnInvalidByteIsRejected() {
        for length in 1...40 {
            for position in 0..<length {
                var payload = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                payload[position] = 0xFF
                XCTAssertThrowsError(try AllTypes(serializedBytes: encoded(payload)), "length \(length), position \(position)") {
                    XCTAssertEqual($0 as? ProtobufDecodingError, .invalidUTF8(fieldNumber: 9))
                }
            }
        }
    }

    func testEveryLengthAndPositionOfAValidMultiByteCharacterIsKept() throws {
        for length in 2...40 {
            for position in 0..<(length - 1) {
                var payload = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                payload[position] = 0xC3  // "é"
                payload[position + 1] = 0xA9
                let decoded = try AllTypes(serializedBytes: encoded(payload))
                XCTAssertEqual(Array(decoded.fString.utf8), payload, "length \(length), position \(position)")
            }
            let ascii = [UInt8](repeating: UInt8(ascii: "z"), count: length)
            XCTAssertEqual(try AllTypes(serializedBytes: encoded(ascii)).fString, String(repeating: "z", count: length))
        }
    }

    func testMalformedSequencesAreRejected() {
        let cases: [[UInt8]] = [
            [0xC0, 0x80],                // overlong NUL
            [0xE0, 0x80, 0x80],          // overlong 3-byte
            [0xF0, 0x80, 0x80, 0x80],    // overlong 4-byte
            [0xED, 0xA0, 0x80],          // UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80],    // above U+10FFFF
            [0xE3, 0x81],                // truncated
            [0x80],                      // lone continuation
            [0xF8, 0x88, 0x80, 0x80, 0x80],  // 5-byte form
        ]
        for bytes in cases {
            XCTAssertThrowsError(try AllTypes(serializedBytes: encoded(bytes + [0x61, 0x62, 0x63])), "\(bytes)")
        }
        XCTAssertEqual(try AllTypes(serializedBytes: encoded([0xF0, 0x9F, 0x94, 0xA5])).fString, "🔥")
        XCTAssertEqual(try AllTypes(serializedBytes: encoded([0xF4, 0x8F, 0xBF, 0xBF])).fString, "\u{10FFFF}")
    }
}
