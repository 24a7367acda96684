import FanHeatContracts
import FanHeatProtobuf

typealias AllTypes = Fanheat_Codectest_V1_AllTypes
typealias Nested = Fanheat_Codectest_V1_Nested

/// The Swift mirror of Tests/python/golden/corpus.py: the same named messages, built
/// independently, so that decoding a Python golden can be compared with what it must be.
enum GoldenCorpus {
    static func nested(_ a: Int32 = 0, note: String = "", children: [Nested] = []) -> Nested {
        var value = Nested()
        value.a = a
        value.note = note
        value.children = children
        return value
    }

    static func build(_ body: (inout AllTypes) -> Void) -> AllTypes {
        var message = AllTypes()
        body(&message)
        return message
    }

    /// Every AllTypes case by name.
    static let cases: [String: AllTypes] = {
        var cases = scalarCases
        cases.merge(collectionCases) { first, _ in first }
        cases.merge(presenceCases) { first, _ in first }
        return cases
    }()

    static let scalarCases: [String: AllTypes] = [
        "empty": AllTypes(),
        "scalars_typical": build {
            $0.fDouble = 1.5; $0.fFloat = -2.25; $0.fInt64 = 1_234_567_890_123; $0.fUint64 = 9_876_543_210
            $0.fInt32 = 42; $0.fFixed64 = 0xDEAD_BEEF_CAFE_BABE; $0.fFixed32 = 0xCAFE_BABE; $0.fBool = true
            $0.fString = "hello"; $0.fBytes = [0x00, 0x01, 0xFF]; $0.fUint32 = 4_000_000_000
            $0.fSfixed32 = -5; $0.fSfixed64 = -6; $0.fSint32 = -7; $0.fSint64 = -8; $0.fEnum = .green
            $0.fNested = nested(1, note: "n")
        },
        "minus_one": build {
            $0.fDouble = -1; $0.fFloat = -1; $0.fInt64 = -1; $0.fInt32 = -1; $0.fSfixed32 = -1
            $0.fSfixed64 = -1; $0.fSint32 = -1; $0.fSint64 = -1; $0.fEnum = .negative
        },
        "extremes_min": build {
            $0.fInt32 = .min; $0.fInt64 = .min; $0.fSint32 = .min; $0.fSint64 = .min
            $0.fSfixed32 = .min; $0.fSfixed64 = .min; $0.fEnum = .unrecognized(.min)
        },
        "extremes_max": build {
            $0.fInt32 = .max; $0.fInt64 = .max; $0.fUint32 = .max; $0.fUint64 = .max; $0.fFixed32 = .max
            $0.fFixed64 = .max; $0.fSint32 = .max; $0.fSint64 = .max; $0.fSfixed32 = .max; $0.fSfixed64 = .max
            $0.fEnum = .unrecognized(.max)
        },
        "float_infinities": build { $0.fDouble = .infinity; $0.fFloat = -.infinity },
        "float_nan": build { $0.fDouble = .nan; $0.fFloat = .nan },
        "negative_zero": build { $0.fDouble = -0.0; $0.fFloat = -0.0 },
        "strings_unicode": build {
            $0.fString = "ファン熱 🔥 café"; $0.fFar = "far field"; $0.rString = ["", "a", "日本語", "😀"]
            $0.fBytes = (0...255).map { UInt8($0) }; $0.rBytes = [[], [0x00], [0xFF, 0xFE]]
        },
        "far_field_only": build { $0.fFar = "z" },
    ]

    static let collectionCases: [String: AllTypes] = [
        "repeated_packed": build {
            $0.rDouble = [0, -1.5, .infinity]; $0.rFloat = [1.25, -0.0]; $0.rInt64 = [0, -1, .min, .max]
            $0.rUint64 = [0, 1, .max]; $0.rInt32 = [0, -1, .min, .max, 300]; $0.rFixed64 = [0, .max]
            $0.rFixed32 = [0, .max]; $0.rBool = [true, false, true]; $0.rUint32 = [0, .max]
            $0.rSfixed32 = [.min, -1, 1]; $0.rSfixed64 = [.min, 0]; $0.rSint32 = [.min, -1, 0, 1, .max]
            $0.rSint64 = [.min, -1, 0, 1, .max]; $0.rEnum = [.red, .negative, .unspecified]
            $0.rNested = [nested(1), nested(), nested(note: "x")]
        },
        "repeated_unpacked": build {
            $0.uInt32 = [1, -1, .min]; $0.uSint64 = [.min, 0, 5]; $0.uDouble = [0, -1.5, .infinity]
            $0.uEnum = [.red, .negative, .unrecognized(7)]
        },
        "packed_field_sent_unpacked": build { $0.rInt32 = [1, -2, 300]; $0.rDouble = [1.5]; $0.rBool = [true] },
        "unpacked_field_sent_packed": build { $0.uInt32 = [5, -6]; $0.uDouble = [2.5, -3.0] },
        "maps": build {
            $0.mStringString = ["a": "1", "b": "", "": "empty key", "日本": "語"]
            $0.mInt32Int64 = [-1: .min, 0: 0, 7: 7]
            $0.mUint64Nested = [.max: nested(5), 0: nested()]
            $0.mBoolBytes = [true: [0x01], false: []]
            $0.mSint32Color = [-3: .red, 4: .negative]
            $0.mFixed64Double = [1: 2.5]
        },
        "map_entry_missing_key": build { $0.mStringString = ["": "v"] },
        "nested_deep_50": build {
            var deep = nested(50)
            for depth in stride(from: 49, through: 1, by: -1) { deep = nested(Int32(depth), children: [deep]) }
            $0.fNested = deep
        },
    ]

    static let presenceCases: [String: AllTypes] = [
        "optional_set_to_default": build {
            $0.oInt32 = 0; $0.oString = ""; $0.oEnum = .unspecified; $0.oDouble = 0; $0.oBool = false
        },
        "optional_set": build { $0.oInt32 = -1; $0.oString = "x"; $0.oEnum = .green; $0.oDouble = 3.25; $0.oBool = true },
        "oneof_empty_string": build { $0.choice = .cString("") },
        "oneof_int64": build { $0.choice = .cInt64(.min) },
        "oneof_nested": build { $0.choice = .cNested(nested(1, children: [nested(2)])) },
        "oneof_bytes": build { $0.choice = .cBytes([0x00, 0x61, 0x62, 0x63]) },
        "unknown_fields": build {
            $0.fInt32 = 1
            // field 1000 varint 5, 1001 fixed64 7, 1002 "xyz", 1003 fixed32 9 (as Python keeps them)
            $0.unknownFields = ProtobufUnknownFields(rawBytes: [
                0xC0, 0x3E, 0x05,
                0xC9, 0x3E, 7, 0, 0, 0, 0, 0, 0, 0,
                0xD2, 0x3E, 0x03, 0x78, 0x79, 0x7A,
                0xDD, 0x3E, 9, 0, 0, 0,
            ])
        },
        "unknown_enum_values": build {
            $0.fEnum = .unrecognized(99); $0.rEnum = [.red, .unrecognized(99), .unrecognized(-5)]
            $0.oEnum = .unrecognized(12345)
        },
        "merge_repeated_occurrences": build {
            $0.fNested = nested(1, note: "x"); $0.fInt32 = 4
            var merged = nested(8, note: "y")
            merged.children = []
            $0.choice = .cNested(merged)
        },
    ]
}
