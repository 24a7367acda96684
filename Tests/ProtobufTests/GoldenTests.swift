import FanHeatContracts
import FanHeatProtobuf
import Foundation
import XCTest

/// Decodes the golden encodings written by the Python protobuf library
/// (Tests/python/golden/make_goldens.py) and compares them with the same messages built
/// in Swift. With FANHEAT_CODEC_OUT set, also writes the Swift re-encodings and the
/// Swift-built encodings there for Tests/python/test_codec_goldens.py to parse back.
final class GoldenTests: XCTestCase {
    private func golden(_ name: String) throws -> [UInt8] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Golden"),
                                "missing golden \(name).bin; run Tests/python/golden/make_goldens.py")
        return try [UInt8](Data(contentsOf: url))
    }

    private var outputDirectory: URL? {
        ProcessInfo.processInfo.environment["FANHEAT_CODEC_OUT"].map { URL(fileURLWithPath: $0) }
    }

    func testEveryGoldenDecodesToTheSwiftBuiltMessage() throws {
        XCTAssertGreaterThanOrEqual(GoldenCorpus.cases.count, 25)
        for (name, expected) in GoldenCorpus.cases.sorted(by: { $0.key < $1.key }) {
            let bytes = try golden(name)
            let decoded: AllTypes
            do { decoded = try AllTypes(serializedBytes: bytes) } catch {
                XCTFail("\(name): \(error)")
                continue
            }
            if name == "float_nan" {
                XCTAssertTrue(decoded.fDouble.isNaN && decoded.fFloat.isNaN, name)
            } else {
                XCTAssertEqual(decoded, expected, name)
            }
            // Equal messages encode identically (map keys are sorted on encode).
            XCTAssertEqual(decoded.serializedBytes(), expected.serializedBytes(), name)
            XCTAssertEqual(decoded.serializedSize(), decoded.serializedBytes().count, name)
            if let outputDirectory {
                try Data(decoded.serializedBytes()).write(to: outputDirectory.appendingPathComponent("\(name).reencoded.bin"))
                try Data(expected.serializedBytes()).write(to: outputDirectory.appendingPathComponent("\(name).swift.bin"))
            }
        }
    }

    func testSwiftEncodingMatchesPythonBytesWhereCanonical() throws {
        // Without maps, raw inputs or unknown-field order questions, both libraries write
        // fields in number order, so the bytes must be identical.
        for name in ["scalars_typical", "minus_one", "extremes_min", "extremes_max", "float_infinities",
                     "negative_zero", "strings_unicode", "repeated_packed", "repeated_unpacked",
                     "optional_set_to_default", "optional_set", "oneof_empty_string", "oneof_int64",
                     "oneof_nested", "oneof_bytes", "nested_deep_50", "unknown_fields", "far_field_only"] {
            let expected = try XCTUnwrap(GoldenCorpus.cases[name], name)
            XCTAssertEqual(expected.serializedBytes(), try golden(name), name)
        }
    }

    func testIngestRequestGoldenRoundTripsByteForByte() throws {
        let bytes = try golden("ingest_request_100")
        let request = try Fanheat_Ingest_V1_IngestRequest(serializedBytes: bytes)
        XCTAssertEqual(request.activities.count, 100)
        XCTAssertTrue(request.activities.allSatisfy { $0.eventID.utf8.count == 26 && $0.memberID.utf8.count == 12 })
        XCTAssertEqual(request.serializedBytes(), bytes)
        if let outputDirectory {
            try Data(request.serializedBytes()).write(to: outputDirectory.appendingPathComponent("ingest_request_100.reencoded.bin"))
        }
    }
}
