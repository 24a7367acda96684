import FanHeatContracts
import FanHeatProtobuf
import Synchronization

/// Realistic synthetic `IngestRequest` bodies: members drawn with a Zipf distribution,
/// a mix of activity kinds with kind-specific values, Zipf-popular item ids, purchases
/// with amounts in JPY. Bodies are encoded once as templates; each call copies one and
/// writes fresh event ids (16 hex digits of a run-wide counter) into it, so generation
/// costs a copy per call instead of an encode.
final class WorkloadGenerator: Sendable {
    /// One club's ready-made request bodies.
    struct ClubTemplates: Sendable {
        let club: String
        let apiKey: String
        let bodies: [[UInt8]]
        let eventIDDigitPositions: [[Int]]
    }

    let clubs: [ClubTemplates]
    let batch: Int
    private let counter = Atomic<UInt64>(0)

    /// The kinds and their share of traffic (weights add up to 100).
    static let kindMix: [(Fanheat_Ingest_V1_ActivityKind, Int)] = [
        (.contentView, 32), (.musicPlay, 20), (.login, 15), (.purchase, 8), (.snsPost, 5),
        (.communityPost, 5), (.liveAttendance, 4), (.qaAnswer, 4), (.feedback, 4), (.referral, 3),
    ]

    init(clubs: [(club: String, apiKey: String)], members: Int, batch: Int, zipf: Double, seed: UInt64, nowMilliseconds: Int64) {
        self.batch = batch
        var random = SplitMix(seed: seed)
        let runTag = String(UInt64.random(in: 0...0xFFF_FFFF), radix: 16).leftPadded(to: 7)
        let memberSampler = ZipfSampler(count: members, exponent: zipf)
        let itemSampler = ZipfSampler(count: 5000, exponent: 1.0)
        let templateCount = max(8, min(64, 20000 / batch))
        var built: [ClubTemplates] = []
        for (club, apiKey) in clubs {
            var bodies: [[UInt8]] = []
            var positions: [[Int]] = []
            for _ in 0..<templateCount {
                var body: [UInt8] = []
                var digits: [Int] = []
                for _ in 0..<batch {
                    let activity = Self.activity(club: club, member: memberSampler.sample(&random), item: itemSampler.sample(&random),
                                                 runTag: runTag, random: &random, now: nowMilliseconds)
                    let bytes = activity.serializedBytes()
                    body.append(0x0A)
                    Self.appendVarint(UInt64(bytes.count), to: &body)
                    // event_id is field 1, serialized first: tag, length, "r<7 hex>-", then 16 hex digits.
                    digits.append(body.count + 2 + 9)
                    body += bytes
                }
                bodies.append(body)
                positions.append(digits)
            }
            built.append(ClubTemplates(club: club, apiKey: apiKey, bodies: bodies, eventIDDigitPositions: positions))
        }
        self.clubs = built
    }

    /// The member id of rank `index` (as prepared through identity).
    static func memberID(_ index: Int) -> String { "m-" + String(index).leftPadded(to: 7, with: "0") }

    private static func activity(club: String, member: Int, item: Int, runTag: String, random: inout SplitMix, now: Int64) -> Fanheat_Ingest_V1_Activity {
        var activity = Fanheat_Ingest_V1_Activity()
        activity.eventID = "r" + runTag + "-" + String(repeating: "0", count: 16)
        activity.clubID = club
        activity.memberID = memberID(member)
        var pick = random.next(in: 0...99)
        var kind = Fanheat_Ingest_V1_ActivityKind.contentView
        for (candidate, weight) in kindMix {
            if pick < weight { kind = candidate; break }
            pick -= weight
        }
        activity.kind = kind
        activity.occurredAtMs = now - Int64(random.next(in: 0...60_000))
        switch kind {
        case .contentView:
            activity.itemID = "article-\(item)"
            activity.value = Int64(random.next(in: 5...900))
        case .musicPlay:
            activity.itemID = "track-\(item)"
            activity.value = Int64(random.next(in: 30...300))
        case .purchase:
            activity.itemID = "sku-\(item % 800)"
            activity.value = Int64(random.next(in: 5...400) * 100)
            activity.currency = "JPY"
            activity.attributes = ["channel": random.next(in: 0...1) == 0 ? "online" : "venue"]
        case .liveAttendance:
            activity.itemID = "event-\(item % 40)"
            activity.value = 1
        case .snsPost:
            activity.itemID = "post-\(item)"
            activity.value = 1
            activity.attributes = ["network": ["x", "instagram", "tiktok"][random.next(in: 0...2)]]
        default:
            activity.value = 1
        }
        return activity
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Two lower-case hex digits per byte value, as the two bytes they are in memory.
    private static let hexPairs: [UInt16] = (0..<256).map { value in
        let digits = Array("0123456789abcdef".utf8)
        return UInt16(digits[value >> 4]) | UInt16(digits[value & 0xF]) << 8
    }

    /// A request body for `lane`: a template (event ids already carry the run tag) with a
    /// fresh run-wide counter written as 16 hex digits into each event id.
    func nextBody(lane: Int, sequence: Int) -> (body: [UInt8], club: ClubTemplates) {
        let club = clubs[lane % clubs.count]
        let template = sequence % club.bodies.count
        var body = club.bodies[template]
        let first = counter.add(UInt64(batch), ordering: .relaxed).oldValue
        Self.hexPairs.withUnsafeBufferPointer { pairs in
            club.eventIDDigitPositions[template].withUnsafeBufferPointer { positions in
                body.withUnsafeMutableBytes { bytes in
                    let base = bytes.baseAddress!
                    for (index, position) in positions.enumerated() {
                        let value = first &+ UInt64(index)
                        for pair in 0..<8 {
                            let byte = Int((value >> UInt64((7 - pair) * 8)) & 0xFF)
                            base.storeBytes(of: pairs[byte], toByteOffset: position + pair * 2, as: UInt16.self)
                        }
                    }
                }
            }
        }
        return (body, club)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
