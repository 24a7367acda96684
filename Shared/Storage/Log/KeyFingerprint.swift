/// A 128-bit fingerprint of a byte string (MurmurHash3 x64-128, seed 0): names an
/// idempotency key or a member id in fixed space. Not cryptographic: distinct inputs
/// collide with probability about n²/2¹²⁹ over n inputs, which callers document.
public struct KeyFingerprint: Hashable, Sendable {
    /// The first 64 bits.
    public var high: UInt64
    /// The second 64 bits.
    public var low: UInt64

    /// Creates a fingerprint from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The fingerprint of `parts` joined by a 0xFF separator (a byte that never occurs in
    /// UTF-8), so ("ab", "c") and ("a", "bc") differ.
    public init(parts first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        let length = first.count + 1 + second.count
        guard length <= 512 else {
            var hasher = Murmur128()
            hasher.combine(first)
            hasher.combine(byte: 0xFF)
            hasher.combine(second)
            self = hasher.finalize()
            return
        }
        // Joined in a stack buffer, the whole key hashes in 16-byte blocks.
        self = withUnsafeTemporaryAllocation(byteCount: length, alignment: 8) { buffer in
            let base = buffer.baseAddress!
            if first.count > 0 { base.copyMemory(from: first.baseAddress!, byteCount: first.count) }
            base.storeBytes(of: 0xFF, toByteOffset: first.count, as: UInt8.self)
            if second.count > 0 { (base + first.count + 1).copyMemory(from: second.baseAddress!, byteCount: second.count) }
            var hasher = Murmur128()
            hasher.combine(UnsafeRawBufferPointer(buffer))
            return hasher.finalize()
        }
    }

    /// The fingerprint of one byte string.
    public init(_ bytes: UnsafeRawBufferPointer) {
        var hasher = Murmur128()
        hasher.combine(bytes)
        self = hasher.finalize()
    }

    /// Hashes both halves (the fingerprint is already a hash).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(low)
    }

    /// The hash `Set` and `Dictionary` use: the fingerprint is already uniformly
    /// distributed, so one multiply-xor of its high half with the table's seed replaces
    /// a SipHash run per lookup (membership checks run once per activity).
    public func _rawHashValue(seed: Int) -> Int {
        let mixed = (high ^ UInt64(UInt(bitPattern: seed))) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 32))
    }

    /// The fingerprint of a string's UTF-8 bytes.
    public init(_ string: String) {
        var copy = string
        self = copy.withUTF8 { KeyFingerprint(UnsafeRawBufferPointer($0)) }
    }

    /// The fingerprint of two strings' UTF-8 bytes, as ``init(parts:_:)``.
    public init(_ first: String, _ second: String) {
        var a = first
        var b = second
        self = a.withUTF8 { left in
            b.withUTF8 { right in KeyFingerprint(parts: UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right)) }
        }
    }
}

/// Streaming MurmurHash3 x64-128 over byte pieces.
struct Murmur128 {
    private var h1: UInt64 = 0
    private var h2: UInt64 = 0
    private var tail: (UInt64, UInt64) = (0, 0)
    private var tailCount = 0
    private var total = 0
    private static let c1: UInt64 = 0x87c3_7b91_1142_53d5
    private static let c2: UInt64 = 0x4cf5_ad43_2745_937f

    mutating func combine(byte: UInt8) {
        if tailCount < 8 {
            tail.0 |= UInt64(byte) << UInt64(tailCount * 8)
        } else {
            tail.1 |= UInt64(byte) << UInt64((tailCount - 8) * 8)
        }
        tailCount += 1
        total += 1
        if tailCount == 16 {
            mix(tail.0, tail.1)
            tail = (0, 0)
            tailCount = 0
        }
    }

    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var position = 0
        let count = bytes.count
        // Complete a partial block byte by byte (at most 15 bytes).
        while tailCount != 0 && position < count {
            combine(byte: base.load(fromByteOffset: position, as: UInt8.self))
            position &+= 1
        }
        if tailCount != 0 { return }
        while count - position >= 16 {
            let k1 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let k2 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self))
            mix(k1, k2)
            position &+= 16
            total &+= 16
        }
        let rest = count - position
        if rest > 0 {
            // The last partial block as little-endian words, zero-padded, from at most four
            // loads per word: a `memcpy` into a stack block cost a call and a failed
            // store-to-load forward (the bytes stored one size, the words loaded another).
            let start = base + position
            tail = rest >= 8 ? (Self.loadWord(start, 8), Self.loadWord(start + 8, rest - 8)) : (Self.loadWord(start, rest), 0)
            tailCount = rest
            total &+= rest
        }
    }

    /// The first `count` (0...8) bytes at `pointer` as a little-endian word, zero-padded.
    @inline(__always)
    private static func loadWord(_ pointer: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count == 8 { return UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self)) }
        var word: UInt64 = 0
        var offset = 0
        if count & 4 != 0 {
            word = UInt64(UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)))
            offset = 4
        }
        if count & 2 != 0 {
            word |= UInt64(UInt16(littleEndian: pointer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))) << UInt64(offset * 8)
            offset += 2
        }
        if count & 1 != 0 {
            word |= UInt64(pointer.load(fromByteOffset: offset, as: UInt8.self)) << UInt64(offset * 8)
        }
        return word
    }

    @inline(__always)
    private mutating func mix(_ block1: UInt64, _ block2: UInt64) {
        var k1 = block1 &* Self.c1
        k1 = (k1 << 31) | (k1 >> 33)
        k1 = k1 &* Self.c2
        h1 ^= k1
        h1 = (h1 << 27) | (h1 >> 37)
        h1 = h1 &+ h2
        h1 = h1 &* 5 &+ 0x52dc_e729
        var k2 = block2 &* Self.c2
        k2 = (k2 << 33) | (k2 >> 31)
        k2 = k2 &* Self.c1
        h2 ^= k2
        h2 = (h2 << 31) | (h2 >> 33)
        h2 = h2 &+ h1
        h2 = h2 &* 5 &+ 0x3849_5ab5
    }

    @inline(__always)
    private static func finalMix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k = k &* 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k = k &* 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    func finalize() -> KeyFingerprint {
        var a = h1
        var b = h2
        if tailCount > 0 {
            var k1 = tail.0 &* Self.c1
            k1 = (k1 << 31) | (k1 >> 33)
            a ^= k1 &* Self.c2
            if tailCount > 8 {
                var k2 = tail.1 &* Self.c2
                k2 = (k2 << 33) | (k2 >> 31)
                b ^= k2 &* Self.c1
            }
        }
        a ^= UInt64(total)
        b ^= UInt64(total)
        a = a &+ b
        b = b &+ a
        a = Self.finalMix(a)
        b = Self.finalMix(b)
        a = a &+ b
        b = b &+ a
        return KeyFingerprint(high: a, low: b)
    }
}
