import FanHeatContracts
import FanHeatProtobuf

/// The property the codec fuzzer checks, shared by the libFuzzer harness
/// (Tests/Fuzz, built by scripts/fuzz.sh) and by `FuzzRegressionTests`, which replays
/// the inputs the fuzzer once found.
///
/// For every message type in ``messageTypes`` the input is decoded. Decoding either
/// throws a ``ProtobufDecodingError`` (typed throws: nothing else can come out) or
/// succeeds; on success the message is re-encoded, the encoding's length must equal
/// `serializedSize()`, the encoding must decode again, and the second message must
/// encode to the same bytes and (unless it holds a NaN)
/// be equal to the first.
enum CodecRoundTripCheck {
    /// The message types every input is decoded as: the ingest hot path, the all-types
    /// test message (maps, oneof, optional, packed and unpacked repeated, nesting,
    /// unknown fields, a far field number), identity messages with nested messages and
    /// reflection/interop messages with oneofs.
    static let messageTypes: [any ProtobufMessage.Type] = [
        Fanheat_Ingest_V1_IngestRequest.self,
        Fanheat_Ingest_V1_Activity.self,
        Fanheat_Ingest_V1_IngestResponse.self,
        Fanheat_Ingest_V1_ActivityBatch.self,
        Fanheat_Codectest_V1_AllTypes.self,
        Fanheat_Identity_V1_Member.self,
        Fanheat_Identity_V1_UpdateMemberRequest.self,
        Fanheat_Identity_V1_WatchMembershipsResponse.self,
        Grpc_Reflection_V1_ServerReflectionRequest.self,
        Grpc_Reflection_V1_ServerReflectionResponse.self,
        Grpc_Testing_SimpleRequest.self,
        Grpc_Testing_LoadBalancerStatsResponse.self,
    ]

    /// One broken round-trip property: the type and what went wrong.
    struct Violation: CustomStringConvertible {
        /// The message type's protobuf name.
        var messageName: String
        /// What differed.
        var problem: String

        /// `messageName: problem`.
        var description: String { "\(messageName): \(problem)" }
    }

    /// Checks `input` against every type; returns the broken properties (empty when all hold)
    /// and how many types decoded it.
    static func check(_ input: UnsafeRawBufferPointer) -> (violations: [Violation], decodedCount: Int) {
        var violations: [Violation] = []
        var decoded = 0
        for type in messageTypes {
            switch check(type, input) {
            case .failed: break
            case .held: decoded += 1
            case .broken(let problem):
                decoded += 1
                violations.append(Violation(messageName: type.protoMessageName, problem: problem))
            }
        }
        return (violations, decoded)
    }

    /// The outcome for one type.
    enum Outcome {
        /// Decoding threw a typed error: fine.
        case failed(ProtobufDecodingError)
        /// Decoding succeeded and the round trip held.
        case held
        /// Decoding succeeded and the round trip broke.
        case broken(String)
    }

    /// Decodes `input` as `type` and checks the round trip.
    static func check<Message: ProtobufMessage>(_ type: Message.Type, _ input: UnsafeRawBufferPointer) -> Outcome {
        let first: Message
        do throws(ProtobufDecodingError) {
            first = try Message(decoding: input)
        } catch {
            return .failed(error)
        }
        let encoded = first.serializedBytes()
        let size = first.serializedSize()
        guard encoded.count == size else {
            return .broken("serializedSize() is \(size) but the encoding has \(encoded.count) bytes")
        }
        var appended: [UInt8] = [0xAB]
        first.serialize(appendingTo: &appended)
        guard appended.count == encoded.count + 1, appended.dropFirst().elementsEqual(encoded) else {
            return .broken("serialize(appendingTo:) differs from serializedBytes()")
        }
        let second: Message
        do throws(ProtobufDecodingError) {
            second = try Message(serializedBytes: encoded)
        } catch {
            return .broken("its own encoding does not decode: \(error)")
        }
        let reencoded = second.serializedBytes()
        guard reencoded == encoded else {
            return .broken("re-encoding differs: \(encoded.count) bytes then \(reencoded.count) bytes")
        }
        // A message holding NaN is not equal to an equal copy (`first == first` does not
        // tell: arrays sharing storage compare equal without looking at their elements), so
        // the messages are compared only when two separate decodes of the same bytes are equal.
        // A NaN-holding message is still covered by the byte comparison above.
        let third: Message
        do throws(ProtobufDecodingError) {
            third = try Message(serializedBytes: encoded)
        } catch {
            return .broken("its own encoding decoded once, then failed: \(error)")
        }
        if second == third, first != second {
            return .broken("the re-decoded message differs from the first")
        }
        return .held
    }
}
