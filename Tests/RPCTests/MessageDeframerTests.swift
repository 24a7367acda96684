import FanHeatRPC
import XCTest

final class MessageDeframerTests: XCTestCase {
    private func framed(_ messages: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for message in messages { MessageFramer.append(message, to: &bytes) }
        return bytes
    }

    func testReassemblesMessagesSplitAtEveryBoundary() throws {
        let messages: [[UInt8]] = [[], [1], Array(repeating: 7, count: 300), [9, 8, 7]]
        let wire = framed(messages)
        for chunkSize in [1, 2, 3, 4, 5, 6, 7, 64, wire.count] {
            var deframer = MessageDeframer()
            var received: [[UInt8]] = []
            var offset = 0
            while offset < wire.count {
                let end = min(wire.count, offset + chunkSize)
                deframer.append(Array(wire[offset..<end]))
                while let message = try deframer.next() { received.append(message) }
                offset = end
            }
            XCTAssertEqual(received, messages, "chunk size \(chunkSize)")
            XCTAssertFalse(deframer.hasPartialMessage)
        }
    }

    func testPartialMessageIsReported() throws {
        var deframer = MessageDeframer()
        deframer.append([0, 0, 0, 0, 4, 1, 2])
        XCTAssertNil(try deframer.next())
        XCTAssertTrue(deframer.hasPartialMessage)
    }

    func testOversizedMessageIsResourceExhaustedBeforeItArrives() {
        var deframer = MessageDeframer(maximumMessageSize: 10)
        deframer.append([0, 0, 0, 0, 11])
        XCTAssertThrowsError(try deframer.next()) { error in
            XCTAssertEqual((error as? RPCError)?.code, .resourceExhausted)
            XCTAssertTrue((error as? RPCError)?.message.contains("11 bytes") ?? false)
        }
    }

    func testDefaultLimitIsFourMebibytes() {
        XCTAssertEqual(MessageDeframer().maximumMessageSize, 4 * 1024 * 1024)
    }

    func testCompressedFlagIsUnimplemented() {
        var deframer = MessageDeframer()
        deframer.append([1, 0, 0, 0, 1, 42])
        XCTAssertThrowsError(try deframer.next()) { error in
            XCTAssertEqual((error as? RPCError)?.code, .unimplemented)
        }
    }

    func testFramerWritesBigEndianLength() {
        XCTAssertEqual(MessageFramer.frame(Array(repeating: 0, count: 258)).prefix(5), [0, 0, 0, 1, 2])
    }
}
