import Glibc

/// Turns received header names and values into Strings without building a new String
/// for every repeat: a small 4-way set-associative cache keyed by the bytes (one per
/// connection, loop thread only). Requests on one connection repeat the same `:path`,
/// `content-type`, `user-agent`... so most lookups hit and cost a hash and a `memcmp`,
/// no allocation.
struct HeaderStringCache {
    private static let ways = 4
    private static let setCount = 32
    private static let maximumCachedLength = 128
    private var keys: [[UInt8]] = Array(repeating: [], count: HeaderStringCache.ways * HeaderStringCache.setCount)
    private var strings: [String] = Array(repeating: "", count: HeaderStringCache.ways * HeaderStringCache.setCount)
    private var victim = 0

    /// The String for `bytes` (UTF-8, repaired if invalid), from the cache when seen before.
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        guard count > 0 else { return "" }
        guard count <= Self.maximumCachedLength, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let first = Int(Self.hash(base, count) % UInt64(Self.setCount)) * Self.ways
        for slot in first..<(first + Self.ways) {
            let hit = keys[slot].withUnsafeBufferPointer { key in
                key.count == count && memcmp(key.baseAddress!, base, count) == 0
            }
            if hit { return strings[slot] }
        }
        let created = String(decoding: bytes, as: UTF8.self)
        victim = (victim + 1) % Self.ways
        keys[first + victim] = Array(bytes)
        strings[first + victim] = created
        return created
    }

    /// A cheap hash of the length and the first and last 8 bytes (collisions only cost a
    /// `memcmp` and a cache miss).
    private static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        if count >= 8 {
            let raw = UnsafeRawPointer(base)
            hash ^= raw.loadUnaligned(as: UInt64.self)
            hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else {
            for index in 0..<count { hash = (hash << 8) | UInt64(base[index]) }
        }
        hash = (hash ^ (hash >> 32)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes spell `literal` (ASCII, compared without building a String).
    func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount, let base = baseAddress else { return count == 0 && literal.utf8CodeUnitCount == 0 }
        return memcmp(base, literal.utf8Start, count) == 0
    }
}
