// Inserts random keys into a RecentKeyIndex in batches of 100 (prefetch the batch, then
// insert each key), timing only those calls. Between batches it copies 16 KiB through a
// 32 MiB buffer and pauses, as the rest of the server evicts the index from the caches
// between two calls. Prints the time per insert and the slowest batch every 5M keys, then
// the totals. The index grows through its resizes from 64K slots, as in a fresh server.
import FanHeatStorage
import FanHeatSync
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var keys = 30_000_000
    var initialCapacity = 1 << 16
    var pauseMicroseconds = 20
}

var options = Options()
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    func value() -> Int {
        guard let text = arguments.next(), let number = Int(text), number >= 0 else {
            print("\(argument) needs a non-negative number"); exit(2)
        }
        return number
    }
    switch argument {
    case "--keys": options.keys = max(100, value())
    case "--initial-capacity": options.initialCapacity = max(1024, value())
    case "--pause-us": options.pauseMicroseconds = value()
    default:
        print("usage: IndexBench [--keys N] [--initial-capacity SLOTS] [--pause-us MICROSECONDS]")
        exit(2)
    }
}

print("index bench: \(options.keys) keys in batches of 100, initial capacity \(options.initialCapacity) slots, \(options.pauseMicroseconds) µs pause between batches")
var index = RecentKeyIndex(windowSeconds: 7 * 86400, initialCapacity: options.initialCapacity)
var random = SystemRandomNumberGenerator()  // outside the timed calls
let pollutionBytes = 32 << 20
let pollution = UnsafeMutableRawPointer.allocate(byteCount: pollutionBytes, alignment: 64)
memset(pollution, 1, pollutionBytes)
var keys = [KeyFingerprint](repeating: KeyFingerprint(high: 0, low: 0), count: 100)
let reportEvery = 5_000_000
var done = 0, duplicates = 0, pollutionPosition = 0
var spent: UInt64 = 0, slowest: UInt64 = 0, totalSpent: UInt64 = 0, totalSlowest: UInt64 = 0
while done < options.keys {
    for position in 0..<100 { keys[position] = KeyFingerprint(high: random.next(), low: random.next()) }
    let next = (pollutionPosition + 16384) % pollutionBytes
    memcpy(pollution + next, pollution + pollutionPosition, 16384)
    pollutionPosition = next
    if options.pauseMicroseconds > 0 { usleep(UInt32(options.pauseMicroseconds)) }
    let start = MonotonicClock.now
    for key in keys { index.prefetch(key) }
    for key in keys where !index.insert(key, stamp: 100, now: 100) { duplicates += 1 }
    let elapsed = MonotonicClock.now - start
    spent += elapsed
    slowest = max(slowest, elapsed)
    done += 100
    if done % reportEvery == 0 || done >= options.keys {
        let batchKeys = done % reportEvery == 0 ? reportEvery : done % reportEvery
        print(String(format: "  %5.1fM keys: %6.1f ns/insert, slowest batch %7.2f ms, table %5d MiB",
                     Double(done) / 1e6, Double(spent) / Double(batchKeys), Double(slowest) / 1e6, index.memoryBytes >> 20))
        totalSpent += spent
        totalSlowest = max(totalSlowest, slowest)
        spent = 0
        slowest = 0
    }
}
print(String(format: "total: %.1f ns/insert, slowest batch %.2f ms, duplicates %d (expected 0)",
             Double(totalSpent) / Double(done), Double(totalSlowest) / 1e6, duplicates))
