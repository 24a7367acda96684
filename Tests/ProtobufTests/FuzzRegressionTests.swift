import FanHeatContracts
import FanHeatProtobuf
import Foundation
import XCTest

/// Replays the inputs the codec fuzzer (scripts/fuzz.sh) once failed on, kept in
/// Tests/ProtobufTests/FuzzRegressions/, and the goldens, through the fuzzer's own property
/// (`CodecRoundTripCheck`): every decode throws a typed error or succeeds, and whatever
/// decodes round-trips.
final class FuzzRegressionTests: XCTestCase {
    private func files(in subdirectory: String) throws -> [URL] {
        let directory = try XCTUnwrap(Bundle.module.resourceURL?.appendingPathComponent(subdirectory))
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private func check(_ url: URL) throws -> (violations: [String], decodedCount: Int) {
        let bytes = try [UInt8](Data(contentsOf: url))
        let result = bytes.withUnsafeBytes { CodecRoundTripCheck.check($0) }
        return (result.violations.map(\.description), result.decodedCount)
    }

    func testEveryFuzzRegressionHoldsTheRoundTripProperty() throws {
        let inputs = try files(in: "FuzzRegressions")
        XCTAssertFalse(inputs.isEmpty, "Tests/ProtobufTests/FuzzRegressions is empty")
        for input in inputs {
            XCTAssertEqual(try check(input).violations, [], input.lastPathComponent)
        }
    }

    func testEveryGoldenDecodesAndHoldsTheRoundTripProperty() throws {
        let goldens = try files(in: "Golden")
        XCTAssertGreaterThanOrEqual(goldens.count, 25)
        for golden in goldens {
            let result = try check(golden)
            XCTAssertEqual(result.violations, [], golden.lastPathComponent)
            XCTAssertGreaterThan(result.decodedCount, 0, "\(golden.lastPathComponent) decoded as no type")
        }
    }

    /// The fuzzer's first finding, a bug in the harness itself: a NaN in a repeated double
    /// made `first == first` true (arrays sharing storage compare equal without comparing
    /// elements) but `first == redecoded` false. The codec was right; the property now
    /// compares bytes always and messages only when two fresh decodes are equal.
    func testNaNInRepeatedDoubleRoundTripsByteForByte() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "all_types_nan_in_repeated_double", withExtension: "bin",
                                                  subdirectory: "FuzzRegressions"))
        let bytes = try [UInt8](Data(contentsOf: url))
        let message = try AllTypes(serializedBytes: bytes)
        XCTAssertTrue(message.uDouble.contains { $0.isNaN }, "the input holds a NaN in u_double")
        let reencoded = message.serializedBytes()
        XCTAssertEqual(try AllTypes(serializedBytes: reencoded).serializedBytes(), reencoded)
        XCTAssertEqual(bytes.withUnsafeBytes { CodecRoundTripCheck.check(AllTypes.self, $0).isHeld }, true)
    }
}

extension CodecRoundTripCheck.Outcome {
    /// Whether the input decoded and round-tripped.
    var isHeld: Bool {
        if case .held = self { return true }
        return false
    }
}
