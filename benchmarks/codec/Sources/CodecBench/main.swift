// Encode and decode of an IngestRequest with 100 activities: FanHeat's codec against
// swift-protobuf 1.39.0, side by side in one process. Run by benchmarks/codec.sh.
//   CodecBench [--repetitions N] [--milliseconds MS] [--activities N] [--only TEXT] [--iterations N]
import FanHeatContracts
import FanHeatProtobuf
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#endif

var repetitions = 7
var milliseconds = 300
var activityCount = 100
var only: String?
var fixedIterations: Int?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--repetitions": repetitions = Int(arguments.popFirst() ?? "") ?? repetitions
    case "--milliseconds": milliseconds = Int(arguments.popFirst() ?? "") ?? milliseconds
    case "--activities": activityCount = Int(arguments.popFirst() ?? "") ?? activityCount
    case "--only": only = arguments.popFirst()  // run just the cases whose name contains this (for perf)
    case "--iterations": fixedIterations = Int(arguments.popFirst() ?? "")  // no calibration (for perf stat)
    default:
        print("usage: CodecBench [--repetitions N] [--milliseconds MS] [--activities N] [--only TEXT] [--iterations N]")
        exit(2)
    }
}

let fixtures = ActivityFixture.batch(count: activityCount)
var fanHeatRequest = FanHeatRequest()
fanHeatRequest.activities = fixtures.map(\.fanHeat)
var peerRequest = PeerRequest()
peerRequest.activities = fixtures.map(\.peer)

// Both encodings must hold the same message: each codec decodes the other's bytes.
let fanHeatBytes = fanHeatRequest.serializedBytes()
let peerBytes: [UInt8] = try peerRequest.serializedBytes()
precondition(fanHeatBytes.count == peerBytes.count, "encodings differ in size")
let peerReadsFanHeat = try PeerRequest(serializedBytes: fanHeatBytes)
let fanHeatReadsPeer = try FanHeatRequest(serializedBytes: peerBytes)
precondition(peerReadsFanHeat == peerRequest, "swift-protobuf reads FanHeat's bytes differently")
precondition(fanHeatReadsPeer == fanHeatRequest, "FanHeat reads swift-protobuf's bytes differently")
let messageBytes = fanHeatBytes.count
print("IngestRequest: \(activityCount) activities, \(messageBytes) bytes encoded; "
      + "\(repetitions) repetitions of ~\(milliseconds) ms (thread CPU time) per case, medians")

/// This thread's CPU time in nanoseconds. CPU time rather than wall time: the machine is
/// shared, and time spent descheduled would otherwise count against whichever case ran then.
func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Keeps results alive so the optimizer cannot drop the work.
nonisolated(unsafe) var sink = 0

/// One case: a name and a body that runs the operation `iterations` times.
struct BenchCase {
    var name: String
    var body: (Int) throws -> Void
}

/// Messages per second for `body` run `iterations` times.
func measure(_ body: (Int) throws -> Void, iterations: Int) rethrows -> Double {
    let start = now()
    try body(iterations)
    return Double(iterations) / (Double(now() - start) / 1e9)
}

/// An iteration count that makes `body` run for about `milliseconds`.
func calibrate(_ body: (Int) throws -> Void, milliseconds: Int) rethrows -> Int {
    var iterations = 16
    while true {
        let start = now()
        try body(iterations)
        let elapsed = Double(now() - start) / 1e6
        if elapsed > 50 { return max(1, Int(Double(iterations) * Double(milliseconds) / elapsed)) }
        iterations *= 4
    }
}

let allCases: [BenchCase] = [
    BenchCase(name: "encode FanHeat") { n in for _ in 0..<n { sink &+= fanHeatRequest.serializedBytes().count } },
    BenchCase(name: "encode swift-protobuf") { n in
        for _ in 0..<n { let bytes: [UInt8] = try peerRequest.serializedBytes(); sink &+= bytes.count }
    },
    BenchCase(name: "decode FanHeat") { n in
        for _ in 0..<n { sink &+= try FanHeatRequest(serializedBytes: fanHeatBytes).activities.count }
    },
    BenchCase(name: "decode swift-protobuf") { n in
        for _ in 0..<n { sink &+= try PeerRequest(serializedBytes: fanHeatBytes).activities.count }
    },
]

let cases = allCases.filter { only == nil || $0.name.contains(only!) }
var iterations: [Int] = []
for benchCase in cases {
    try benchCase.body(200)  // warm-up
    iterations.append(try fixedIterations ?? calibrate(benchCase.body, milliseconds: milliseconds))
}
// Interleave the cases in every repetition so that load changes hit all of them alike.
var rates = Array(repeating: [Double](), count: cases.count)
for repetition in 1...repetitions {
    for (index, benchCase) in cases.enumerated() {
        rates[index].append(try measure(benchCase.body, iterations: iterations[index]))
    }
    print("  repetition \(repetition)/\(repetitions) done")
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ value: Double, decimals: Int = 0) -> String {
    let scale = pow(10.0, Double(decimals))
    let rounded = (value * scale).rounded() / scale
    return decimals == 0 ? String(Int(rounded)) : String(rounded)
}

print("")
print("| case | messages/s (median) | activities/s | MB/s | min..max messages/s |")
print("| --- | ---: | ---: | ---: | ---: |")
var medians: [String: Double] = [:]
for (index, benchCase) in cases.enumerated() {
    let value = median(rates[index])
    medians[benchCase.name] = value
    let megabytes = value * Double(messageBytes) / 1e6
    print("| \(benchCase.name) | \(format(value)) | \(format(value * Double(activityCount))) | "
          + "\(format(megabytes, decimals: 1)) | \(format(rates[index].min()!))..\(format(rates[index].max()!)) |")
}
if only != nil { exit(0) }
let encodeRatio = medians["encode FanHeat"]! / medians["encode swift-protobuf"]!
let decodeRatio = medians["decode FanHeat"]! / medians["decode swift-protobuf"]!
/// The median of the per-repetition ratios: each pair ran back to back, so a load change
/// between repetitions cancels out.
@MainActor func pairedRatio(_ fanHeat: String, _ peer: String) -> Double {
    let a = rates[cases.firstIndex { $0.name == fanHeat }!]
    let b = rates[cases.firstIndex { $0.name == peer }!]
    return median(zip(a, b).map { $0 / $1 })
}
print("")
print("ratio FanHeat / swift-protobuf (of the medians): encode \(format(encodeRatio, decimals: 2))x (goal >= 2x), "
      + "decode \(format(decodeRatio, decimals: 2))x (goal >= 3x)")
print("ratio FanHeat / swift-protobuf (median of per-repetition ratios): encode "
      + "\(format(pairedRatio("encode FanHeat", "encode swift-protobuf"), decimals: 2))x, decode "
      + "\(format(pairedRatio("decode FanHeat", "decode swift-protobuf"), decimals: 2))x")
if sink == 42 { print("") }
