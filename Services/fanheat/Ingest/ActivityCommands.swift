import FanHeatContracts
import FanHeatRPC
import Foundation
import Synchronization

/// `fanheat activity ...`: report an activity and read the durable log.
enum ActivityCommands: CommandGroup {
    /// The group word.
    static let name = "activity"
    /// One line for the help text.
    static let summary = "send activities (club API key) and tail the durable log (activity-ingest)"
    /// The group's actions.
    static let actions: [CommandAction] = [
        CommandAction(
            name: "send",
            usage: "--club ID --member ID --kind KIND [--event-id ID] [--item ID] [--value N] [--currency ISO] [--occurred-at-ms MS] [--attribute K=V ...] [--ingest-addr HOST:PORT]",
            summary: "ingests one activity (kinds: \(ActivityKindNames.all.joined(separator: ", ")))"
        ) { arguments, environment in
            let connection = try IngestConnection(environment)
            var request = Fanheat_Ingest_V1_IngestRequest()
            request.activities = [try activity(arguments)]
            let response = try await connection.client.ingest(request, options: connection.options)
            let rejections = response.rejections.map { JSONValue.object(["index": .integer(Int64($0.index)), "reason": .string($0.reason)]) }
            var text = ["accepted \(response.accepted), duplicates \(response.duplicates), last offset \(response.lastOffset)"]
            text += response.rejections.map { "rejected #\($0.index): \($0.reason)" }
            return CommandOutput(json: .object(["accepted": .integer(Int64(response.accepted)),
                                                "duplicates": .integer(Int64(response.duplicates)),
                                                "last_offset": .integer(Int64(bitPattern: response.lastOffset)),
                                                "event_id": .string(request.activities[0].eventID),
                                                "rejections": .array(rejections)]),
                                 text: text)
        },
        CommandAction(
            name: "tail",
            usage: "[--from OFFSET] [--limit N] [--follow] [--ingest-addr HOST:PORT]",
            summary: "prints stored activities from an offset (a club key sees its club, the admin key all); stops when caught up unless --follow"
        ) { arguments, environment in
            try await tail(arguments, environment)
        },
    ]

    /// The activity described by the command line.
    static func activity(_ arguments: ParsedArguments) throws -> Fanheat_Ingest_V1_Activity {
        var activity = Fanheat_Ingest_V1_Activity()
        activity.clubID = try arguments.required("club")
        activity.memberID = try arguments.required("member")
        let kindText = try arguments.required("kind")
        guard let kind = ActivityKindNames.kind(named: kindText) else {
            throw UsageError("--kind \(kindText) is not one of \(ActivityKindNames.all.joined(separator: ", "))")
        }
        activity.kind = kind
        activity.eventID = arguments.value("event-id") ?? "cli-" + UUID().uuidString.lowercased()
        activity.itemID = arguments.value("item") ?? ""
        activity.value = try arguments.integer("value")
        activity.currency = arguments.value("currency") ?? ""
        activity.occurredAtMs = try arguments.integer("occurred-at-ms", default: Int64(Date().timeIntervalSince1970 * 1000))
        for pair in arguments.values("attribute") {
            guard let equals = pair.firstIndex(of: "=") else { throw UsageError("--attribute \(pair) must be KEY=VALUE") }
            activity.attributes[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return activity
    }

    /// Subscribes from `--from` and collects up to `--limit` activities; without `--follow`
    /// it stops once no batch has arrived for a second (caught up).
    static func tail(_ arguments: ParsedArguments, _ environment: CommandEnvironment) async throws -> CommandOutput {
        let follow = arguments.flag("follow")
        let connection = try IngestConnection(environment, timeoutSeconds: 0)
        let limit = Int(try arguments.integer("limit", default: follow ? Int64.max : 1000))
        var request = Fanheat_Ingest_V1_SubscribeRequest()
        request.fromOffset = UInt64(max(0, try arguments.integer("from")))
        let collected = Mutex<(rows: [JSONValue], lines: [String], lastSeen: ContinuousClock.Instant)>(([], [], .now))
        let subscription = Task {
            try await connection.client.subscribe(request, options: connection.options) { batches in
                for try await batch in batches {
                    for logged in batch.activities {
                        let (row, line) = render(logged)
                        if follow { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
                        let count = collected.withLock { state in
                            state.rows.append(row); state.lines.append(line); state.lastSeen = .now
                            return state.rows.count
                        }
                        if count >= limit { return }
                    }
                    collected.withLock { $0.lastSeen = .now }
                }
            }
        }
        if !follow {
            while true {
                try await Task.sleep(for: .milliseconds(200))
                let idle = collected.withLock { ContinuousClock.now - $0.lastSeen }
                if idle > .seconds(1) { subscription.cancel(); break }
            }
        }
        do { try await subscription.value } catch let error as RPCError where error.code == .cancelled {
        } catch is CancellationError {}
        let state = collected.withLock { $0 }
        return CommandOutput(json: .object(["activities": .array(state.rows)]), text: follow ? [] : state.lines)
    }

    /// One stored activity as JSON and as a tab-separated line.
    static func render(_ logged: Fanheat_Ingest_V1_LoggedActivity) -> (JSONValue, String) {
        let activity = logged.activity ?? .init()
        let kind = ActivityKindNames.name(of: activity.kind)
        let json = JSONValue.object([
            "offset": .integer(Int64(bitPattern: logged.offset)), "ingested_at_ms": .integer(logged.ingestedAtMs),
            "event_id": .string(activity.eventID), "club_id": .string(activity.clubID), "member_id": .string(activity.memberID),
            "kind": .string(kind), "occurred_at_ms": .integer(activity.occurredAtMs), "item_id": .string(activity.itemID),
            "value": .integer(activity.value), "currency": .string(activity.currency),
            "attributes": .object(activity.attributes.mapValues { .string($0) }),
        ])
        let line = "\(logged.offset)\t\(activity.clubID)\t\(activity.memberID)\t\(kind)\t\(activity.itemID)\t\(activity.value)\(activity.currency.isEmpty ? "" : " " + activity.currency)\t\(activity.eventID)"
        return (json, line)
    }
}

/// Lower-case names of activity kinds for the command line.
enum ActivityKindNames {
    /// Every kind name, in contract order.
    static let all = ["content_view", "music_play", "sns_post", "live_attendance", "purchase", "community_post",
                      "qa_answer", "referral", "feedback", "login"]

    /// The kind for `name` (`live_attendance`, `LIVE_ATTENDANCE`, `ACTIVITY_KIND_LIVE_ATTENDANCE` or its number).
    static func kind(named name: String) -> Fanheat_Ingest_V1_ActivityKind? {
        if let number = Int32(name), number >= 1, number <= Int32(all.count) { return .init(rawValue: number) }
        var word = name.lowercased()
        if word.hasPrefix("activity_kind_") { word.removeFirst("activity_kind_".count) }
        guard let index = all.firstIndex(of: word) else { return nil }
        return .init(rawValue: Int32(index + 1))
    }

    /// The name of `kind` (its number when this contract version does not know it).
    static func name(of kind: Fanheat_Ingest_V1_ActivityKind) -> String {
        let number = Int(kind.rawValue)
        return number >= 1 && number <= all.count ? all[number - 1] : "kind_\(number)"
    }
}
