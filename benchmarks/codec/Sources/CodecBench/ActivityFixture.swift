/// One realistic activity, independent of either codec, and the batch the benchmark
/// encodes and decodes.
struct ActivityFixture {
    /// The `ActivityKind` number.
    var kind: Int
    var eventID: String
    var clubID: String
    var memberID: String
    var occurredAtMs: Int64
    var itemID: String
    var value: Int64
    var currency: String
    var attributes: [String: String]

    /// A deterministic batch of `count` activities: ULID-like event ids, a kind mix weighted
    /// towards views and plays, item ids except for logins, currency on purchases only and
    /// zero to three attributes.
    static func batch(count: Int, seed: UInt64 = 0x5EED_F00D) -> [ActivityFixture] {
        var random = SplitMix64(seed: seed)
        let clubs = ["club-tokyo-giants", "artist-yoasobi", "shop-fanheat-store", "team-urawa-reds"]
        // (kind, weight): content view, music play, login, purchase, SNS post, community post,
        // live attendance, Q&A answer, referral, feedback.
        let kinds: [(Int, Int)] = [(1, 30), (2, 20), (10, 15), (5, 10), (3, 8), (6, 7), (4, 4), (7, 3), (8, 2), (9, 1)]
        let attributePool: [(String, [String])] = [
            ("platform", ["ios", "android", "web"]), ("campaign", ["spring-sale", "tour-2026", "none"]),
            ("region", ["JP-13", "JP-27", "US-CA", "KR-11"]), ("referrer", ["newsletter", "x.com", "direct"]),
        ]
        let startMs: Int64 = 1_763_900_000_000
        return (0..<count).map { index in
            let kind = weighted(kinds, &random)
            let time = startMs + Int64(index) * 1_250 + Int64(random.next() % 1_000)
            var attributes: [String: String] = [:]
            for _ in 0..<Int(random.next() % 4) {
                let (key, values) = attributePool[Int(random.next() % UInt64(attributePool.count))]
                attributes[key] = values[Int(random.next() % UInt64(values.count))]
            }
            let item: String
            let value: Int64
            switch kind {
            case 1: item = "article-\(10_000 + random.next() % 90_000)"; value = Int64(5 + random.next() % 600)
            case 2: item = "track-\(random.next() % 5_000)"; value = Int64(30 + random.next() % 300)
            case 5: item = "sku-\(String(random.next() % 1_000_000, radix: 16))"; value = Int64(500 + random.next() % 20_000)
            case 4: item = "live-2026-\(random.next() % 50)"; value = 1
            case 10: item = ""; value = 0
            default: item = "post-\(random.next() % 1_000_000)"; value = 1
            }
            return ActivityFixture(
                kind: kind, eventID: ulid(milliseconds: time, &random), clubID: clubs[Int(random.next() % 4)],
                memberID: "m_\(100_000_000 + random.next() % 900_000_000)", occurredAtMs: time, itemID: item,
                value: value, currency: kind == 5 ? (random.next() % 4 == 0 ? "USD" : "JPY") : "",
                attributes: attributes)
        }
    }

    /// A 26-character ULID: 10 Crockford base32 characters of time, 16 of randomness.
    static func ulid(milliseconds: Int64, _ random: inout SplitMix64) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var bytes: [UInt8] = []
        var time = UInt64(milliseconds)
        var timeChars: [UInt8] = []
        for _ in 0..<10 { timeChars.append(alphabet[Int(time & 31)]); time >>= 5 }
        bytes.append(contentsOf: timeChars.reversed())
        for _ in 0..<16 { bytes.append(alphabet[Int(random.next() & 31)]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func weighted(_ choices: [(Int, Int)], _ random: inout SplitMix64) -> Int {
        var pick = Int(random.next() % UInt64(choices.reduce(0) { $0 + $1.1 }))
        for (value, weight) in choices {
            if pick < weight { return value }
            pick -= weight
        }
        return choices[0].0
    }
}

/// A small deterministic pseudo-random generator (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
