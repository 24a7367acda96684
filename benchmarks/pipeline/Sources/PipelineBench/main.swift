// The ingest hot path without the network: N threads call IngestPipeline.ingest with
// requests of B unique activities (realistic shapes: Zipf-skewed members, a mix of kinds,
// purchases with a currency, one attribute) against a real log in a scratch directory,
// with group commit and fdatasync running as in the service. Prints progress, then the
// thread CPU time per activity inside `ingest` (validation, membership, fingerprint,
// dedup, append), the process CPU per activity (adds the writer: pwrite, fdatasync,
// page-cache trimming, and table and segment preparation) and wall throughput.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import FanHeatStorage
import IngestCore

struct Options {
    var activities = 8_000_000
    var batch = 100
    var threads = 2
    var members = 10_000
    var directory = ".build/pipeline-bench"
    var reportEvery = 1_000_000
    var preallocate = true
}

var options = Options()
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    func value() -> String {
        guard let next = arguments.next() else { fatalError("\(argument) needs a value") }
        return next
    }
    switch argument {
    case "--activities": options.activities = Int(value())!
    case "--batch": options.batch = Int(value())!
    case "--threads": options.threads = Int(value())!
    case "--members": options.members = Int(value())!
    case "--dir": options.directory = value()
    case "--preallocate": options.preallocate = value() == "on"
    default:
        print("usage: PipelineBench [--activities N] [--batch B] [--threads T] [--members M] [--dir DIR] [--preallocate on|off]")
        exit(2)
    }
}

func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func processCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func wallNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Protobuf encoding of one Activity (field numbers from ingest.proto).
struct ActivityEncoder {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    mutating func text(_ field: UInt64, _ value: String) {
        varint(field << 3 | 2)
        varint(UInt64(value.utf8.count))
        bytes += value.utf8
    }

    mutating func number(_ field: UInt64, _ value: UInt64) {
        varint(field << 3)
        varint(value)
    }
}

/// Random shapes for the request templates (built once, outside the measurement).
struct Generator {
    var source = SystemRandomNumberGenerator()
    mutating func next() -> UInt64 { source.next() }
    /// Roughly Zipf-skewed member numbers: the square of a uniform draw favours low ids.
    mutating func member(of count: Int) -> Int {
        let uniform = Double.random(in: 0..<1, using: &source)
        return min(count - 1, Int(uniform * uniform * Double(count)))
    }
}

let club = "club-bench"
let eventDigits = 16

/// A request of `options.batch` activities whose event ids end in `eventDigits` hex
/// digits, with the offsets of those digits, so that a fresh request of unique ids costs
/// only rewriting the digits (request building stays out of the measurement's way).
func template(thread: Int, generator: inout Generator, now: Int64) -> (bytes: [UInt8], digits: [Int]) {
    var message: [UInt8] = []
    var digits: [Int] = []
    message.reserveCapacity(options.batch * 100)
    for _ in 0..<options.batch {
        var activity = ActivityEncoder()
        let kind = 1 + generator.next() % 10
        activity.text(1, "evt-\(thread)-" + String(repeating: "0", count: eventDigits))
        let digitsInActivity = activity.bytes.count - eventDigits
        activity.text(2, club)
        activity.text(3, "member-\(generator.member(of: options.members))")
        activity.number(4, kind)
        activity.number(5, UInt64(now - Int64(generator.next() % 60_000)))
        activity.text(6, "item-\(generator.next() % 500)")
        if kind == 5 {
            activity.number(7, 100 + generator.next() % 9_900)
            activity.text(8, "JPY")
        } else {
            activity.number(7, 1)
        }
        var attribute = ActivityEncoder()
        attribute.text(1, "source")
        attribute.text(2, generator.next() % 2 == 0 ? "app" : "web")
        activity.varint(15 << 3 | 2)
        activity.varint(UInt64(attribute.bytes.count))
        activity.bytes += attribute.bytes
        message.append(1 << 3 | 2)
        var length = ActivityEncoder()
        length.varint(UInt64(activity.bytes.count))
        message += length.bytes
        digits.append(message.count + digitsInActivity)
        message += activity.bytes
    }
    return (message, digits)
}

/// Writes `number` as fixed-width hex digits at each activity's event-id digits.
func stamp(_ request: inout (bytes: [UInt8], digits: [Int]), first number: UInt64) {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    for (index, position) in request.digits.enumerated() {
        var value = number &+ UInt64(index)
        for digit in stride(from: eventDigits - 1, through: 0, by: -1) {
            request.bytes[position + digit] = hex[Int(value & 15)]
            value >>= 4
        }
    }
}

// A fresh log in the scratch directory, default settings (page-cache trimming, prepared
// segments, a 7-day idempotency window).
_ = system("rm -rf '\(options.directory)'")
var configuration = LogConfiguration(directory: options.directory + "/log")
configuration.preallocateSegments = options.preallocate
let pipeline = try IngestPipeline(log: configuration)
let members = MembershipDirectory()
for number in 0..<options.members { members.apply(club: club, member: "member-\(number)", active: true, revision: 1) }
members.completeSnapshot(revision: 1)
let scope = IngestScope(clubID: club, members: members)
print("pipeline bench: \(options.activities) activities, batch \(options.batch), \(options.threads) threads, \(options.members) members, log in \(options.directory), preallocation \(options.preallocate ? "on" : "off")")

let requestsPerThread = options.activities / options.batch / options.threads
let ingestNanoseconds = UnsafeMutablePointer<UInt64>.allocate(capacity: options.threads)
let done = UnsafeMutablePointer<Int>.allocate(capacity: options.threads)
ingestNanoseconds.initialize(repeating: 0, count: options.threads)
done.initialize(repeating: 0, count: options.threads)
let failures = UnsafeMutablePointer<Int>.allocate(capacity: 1)
failures.initialize(to: 0)
let startWall = wallNanoseconds()
let startProcess = processCPUNanoseconds()
var threads: [pthread_t] = []
final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }
for thread in 0..<options.threads {
    let box = Box {
        var generator = Generator()
        let now = LogClock.nowMilliseconds()
        var templates = (0..<64).map { _ in template(thread: thread, generator: &generator, now: now) }
        var lastEnd: UInt64 = 0
        for number in 0..<requestsPerThread {
            stamp(&templates[number % templates.count], first: UInt64(number * options.batch))
            let bytes = templates[number % templates.count].bytes
            var summary = IngestSummary()
            let before = threadCPUNanoseconds()
            let error = bytes.withUnsafeBytes { pipeline.ingest($0, scope: scope, into: &summary) }
            ingestNanoseconds[thread] += threadCPUNanoseconds() - before
            if error != nil || summary.accepted != UInt32(options.batch) { failures.pointee += 1 }
            lastEnd = max(lastEnd, summary.durableTarget)
            done[thread] = (number + 1) * options.batch
            // Like a client with a bounded number of calls in flight: every 32 requests,
            // wait for durability, so the log never holds an unbounded pending buffer.
            if number % 32 == 31 {
                let durable = DispatchSemaphore(value: 0)
                pipeline.log.whenDurable(through: lastEnd) { _ in durable.signal() }
                durable.wait()
            }
        }
    }
    var handle = pthread_t()
    pthread_create(&handle, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, Unmanaged.passRetained(box).toOpaque())
    threads.append(handle)
}
var nextReport = options.reportEvery
while true {
    usleep(200_000)
    let total = (0..<options.threads).reduce(0) { $0 + done[$1] }
    if total >= nextReport || total >= requestsPerThread * options.batch * options.threads {
        let seconds = Double(wallNanoseconds() - startWall) / 1e9
        print("  \(total) activities, \(Int(Double(total) / seconds)) /s")
        nextReport = (total / options.reportEvery + 1) * options.reportEvery
    }
    if total >= requestsPerThread * options.batch * options.threads { break }
}
for handle in threads { pthread_join(handle, nil) }
let wall = Double(wallNanoseconds() - startWall) / 1e9
let processCPU = Double(processCPUNanoseconds() - startProcess)
let total = Double(requestsPerThread * options.batch * options.threads)
let ingestCPU = Double((0..<options.threads).reduce(UInt64(0)) { $0 + ingestNanoseconds[$1] })
print(String(format: "ingest CPU %.0f ns/activity (inside IngestPipeline.ingest, all threads)", ingestCPU / total))
print(String(format: "process CPU %.0f ns/activity (adds request building, the writer and background preparation)", processCPU / total))
print(String(format: "wall %.0f activities/s, remembered keys %d (%d MiB), failed requests %d",
             total / wall, pipeline.rememberedKeys.count, pipeline.rememberedKeys.bytes >> 20, failures.pointee))
let commits = Double(pipeline.log.groupCommits)
print(String(format: "group commits %.0f (%.0f/s, %.0f activities each)", commits, commits / wall, total / max(commits, 1)))
pipeline.log.close()
_ = system("rm -rf '\(options.directory)'")
