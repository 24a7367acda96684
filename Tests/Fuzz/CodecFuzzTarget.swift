// libFuzzer entry point for the protobuf decoder. Built by scripts/fuzz.sh with
// `-sanitize=fuzzer,address` together with Tests/ProtobufTests/CodecRoundTripCheck.swift
// (the property), the test-only generated all-types message and the generator's
// descriptor types. Not part of the Swift package.
import FanHeatContracts
import FanHeatProtobuf

/// Decodes one fuzzer input as every checked message type (and as a protoc
/// `FileDescriptorSet`, decode only); a broken round trip traps, which libFuzzer
/// reports as a crash and saves as `crash-<sha1>`.
@_cdecl("LLVMFuzzerTestOneInput")
public func codecFuzzTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
    let result = CodecRoundTripCheck.check(input)
    if let violation = result.violations.first {
        fatalError("codec round trip broken: \(violation)")
    }
    // The generator's hand-written descriptor types are decode-only: they must throw or succeed.
    _ = try? FileDescriptorSet(decoding: input)
    return 0
}
