import XCTest
@testable import FanHeatStorage

/// The log's pending-record buffer: growth keeps every byte, in-place writes land where
/// they were reserved, and emptying it keeps or releases capacity as asked.
final class PendingBytesTests: XCTestCase {
    func testGrowsPastItsCapacityWithoutLosingBytes() throws {
        var buffer = PendingBytes(capacity: 64)
        var expected: [UInt8] = []
        for round in 0..<500 {
            let chunk = (0..<(round % 37 + 1)).map { UInt8(truncatingIfNeeded: round &* 31 &+ $0) }
            chunk.withUnsafeBytes { buffer.append($0) }
            expected += chunk
        }
        XCTAssertEqual(buffer.count, expected.count)
        XCTAssertGreaterThan(buffer.count, 64)
        let held = buffer.withUnsafeBytes { Array($0) }
        XCTAssertEqual(held, expected)
    }

    func testReservedBytesAreWrittenInPlaceAfterEarlierOnes() throws {
        var buffer = PendingBytes(capacity: 64)
        [1, 2, 3].map(UInt8.init).withUnsafeBytes { buffer.append($0) }
        let (start, room) = buffer.reserve(100)
        XCTAssertGreaterThanOrEqual(room, 100)
        for index in 0..<100 { start.storeBytes(of: UInt8(index + 10), toByteOffset: index, as: UInt8.self) }
        XCTAssertEqual(buffer.count, 3, "reserved bytes count only once extend says so")
        buffer.extend(by: 100)
        let held = buffer.withUnsafeBytes { Array($0) }
        XCTAssertEqual(held, [1, 2, 3] + (0..<100).map { UInt8($0 + 10) })
        buffer.append(UnsafeRawBufferPointer(start: nil, count: 0))
        XCTAssertEqual(buffer.count, 103)
    }

    func testRemoveAllEmptiesAndTheBufferIsReusable() throws {
        var buffer = PendingBytes(capacity: 64)
        let big = [UInt8](repeating: 7, count: 5000)
        big.withUnsafeBytes { buffer.append($0) }
        buffer.removeAll(keepingCapacity: true)
        XCTAssertTrue(buffer.isEmpty)
        [9, 9].map(UInt8.init).withUnsafeBytes { buffer.append($0) }
        buffer.removeAll(keepingCapacity: false, minimumCapacity: 128)
        XCTAssertEqual(buffer.count, 0)
        big.withUnsafeBytes { buffer.append($0) }
        XCTAssertEqual(buffer.withUnsafeBytes { Array($0) }, big)
    }
}
