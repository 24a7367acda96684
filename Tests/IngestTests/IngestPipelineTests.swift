import Foundation
import FanHeatStorage
import XCTest
@testable import IngestCore

final class IngestPipelineTests: XCTestCase {
    private var directory = ""
    private let now: Int64 = 1_800_000_000_000

    override func setUp() { directory = NSTemporaryDirectory() + "fanheat-ingest-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func pipeline(window: Int64 = 7 * 86400, clock: @escaping @Sendable () -> Int64) throws -> IngestPipeline {
        try IngestPipeline(log: LogConfiguration(directory: directory + "/log"), windowSeconds: window, clock: clock)
    }

    private func directoryWithMembers() -> MembershipDirectory {
        let members = MembershipDirectory()
        members.beginSnapshot()
        members.apply(club: "club-a", member: "m-1", active: true, revision: 1)
        members.apply(club: "club-a", member: "m-2", active: true, revision: 2)
        members.apply(club: "club-a", member: "gone", active: false, revision: 3)
        members.completeSnapshot(revision: 3)
        return members
    }

    private func ingest(_ pipeline: IngestPipeline, _ activities: [ActivityBytes], scope: IngestScope) throws -> IngestSummary {
        var summary = IngestSummary()
        let request = ActivityBytes.request(activities)
        if let error = request.withUnsafeBytes({ pipeline.ingest($0, scope: scope, into: &summary) }) { throw error }
        let done = expectation(description: "durable")
        pipeline.log.whenDurable(through: summary.durableTarget) { error in
            XCTAssertNil(error)
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        return summary
    }

    private func activity(_ event: String, member: String = "m-1", club: String = "club-a") -> ActivityBytes {
        var activity = ActivityBytes()
        activity.eventID = event
        activity.memberID = member
        activity.clubID = club
        activity.occurredAt = now - 1000
        return activity
    }

    func testDuplicatesAreAcknowledgedAndNotStoredAgainAcrossRestart() throws {
        let clock: @Sendable () -> Int64 = { 1_800_000_000_000 }
        var first = try pipeline(clock: clock)
        let members = directoryWithMembers()
        let scope = IngestScope(clubID: "club-a", members: members)
        var summary = try ingest(first, [activity("e1"), activity("e2"), activity("e1")], scope: scope)
        XCTAssertEqual(summary.accepted, 2)
        XCTAssertEqual(summary.duplicates, 1)
        XCTAssertEqual(summary.lastOffset, 1)
        first.log.close()

        first = try pipeline(clock: clock)
        XCTAssertEqual(first.rememberedKeys.count, 2)
        summary = try ingest(first, [activity("e2"), activity("e3")], scope: scope)
        XCTAssertEqual(summary.accepted, 1)
        XCTAssertEqual(summary.duplicates, 1)
        XCTAssertEqual(summary.lastOffset, 2)
        XCTAssertEqual(first.log.durableEnd, 3)
        first.log.close()
    }

    func testIdempotencyWindowExpiresOldKeysAtRestart() throws {
        let later: @Sendable () -> Int64 = { 1_800_000_000_000 + 3 * 3_600_000 }
        let first = try pipeline(window: 3600) { 1_800_000_000_000 }
        _ = try ingest(first, [activity("old")], scope: .unchecked)
        first.log.close()
        let second = try pipeline(window: 3600, clock: later)
        XCTAssertEqual(second.rememberedKeys.count, 0)
        var fresh = activity("old")
        fresh.occurredAt = later() - 1000
        XCTAssertEqual(try ingest(second, [fresh], scope: .unchecked).accepted, 1)
        second.log.close()
    }

    func testOtherClubFailsTheWholeCallAndStoresNothing() throws {
        let pipeline = try pipeline { 1_800_000_000_000 }
        var summary = IngestSummary()
        let request = ActivityBytes.request([activity("e1"), activity("e2", club: "club-b")])
        let error = request.withUnsafeBytes { pipeline.ingest($0, scope: IngestScope(clubID: "club-a", members: directoryWithMembers()), into: &summary) }
        XCTAssertEqual(error?.code, .permissionDenied)
        XCTAssertTrue(error?.message.contains("club-b") ?? false)
        XCTAssertEqual(pipeline.log.appendedEnd, 0)
        pipeline.log.close()
    }

    func testInactiveMembersAndInvalidActivitiesAreRejectedByIndex() throws {
        let pipeline = try pipeline { 1_800_000_000_000 }
        var bad = activity("e3")
        bad.kind = 0
        let summary = try ingest(pipeline, [activity("e1"), activity("e2", member: "gone"), bad, activity("e4", member: "nobody"), activity("e5", member: "m-2")],
                                 scope: IngestScope(clubID: "club-a", members: directoryWithMembers()))
        XCTAssertEqual(summary.accepted, 2)
        XCTAssertEqual(summary.rejections.map(\.index), [1, 2, 3])
        XCTAssertTrue(summary.rejections[0].reason.hasPrefix("member_id: \"gone\" is not an active member"))
        XCTAssertTrue(summary.rejections[1].reason.hasPrefix("kind:"))
        XCTAssertTrue(summary.rejections[2].reason.hasPrefix("member_id: \"nobody\" is not an active member"))
        // Members are checked for the whole batch after validation; the accepted ones keep
        // their order in the log.
        var stored: [String] = []
        _ = try pipeline.log.read(from: 0, maxCount: .max, maxBytes: .max) { record in
            stored.append(String(decoding: record.payload, as: UTF8.self))
        }
        XCTAssertEqual(stored.count, 2)
        XCTAssertTrue(stored[0].contains("e1") && stored[1].contains("e5"))
        pipeline.log.close()
    }

    func testBatchLimitAndMalformedRequest() throws {
        let pipeline = try pipeline { 1_800_000_000_000 }
        var summary = IngestSummary()
        let request = ActivityBytes.request((0..<1001).map { activity("e\($0)") })
        let error = request.withUnsafeBytes { pipeline.ingest($0, scope: .unchecked, into: &summary) }
        XCTAssertEqual(error?.code, .invalidArgument)
        XCTAssertTrue(error?.message.contains("limit is 1000") ?? false)
        let garbage: [UInt8] = [0x0A, 0x7F, 0x01]
        XCTAssertEqual(garbage.withUnsafeBytes { pipeline.ingest($0, scope: .unchecked, into: &summary) }?.code, .invalidArgument)
        pipeline.log.close()
    }

    func testMembershipCacheNotLoadedIsUnavailable() throws {
        let pipeline = try pipeline { 1_800_000_000_000 }
        var summary = IngestSummary()
        let request = ActivityBytes.request([activity("e1")])
        let error = request.withUnsafeBytes { pipeline.ingest($0, scope: IngestScope(clubID: "club-a", members: MembershipDirectory()), into: &summary) }
        XCTAssertEqual(error?.code, .unavailable)
        pipeline.log.close()
    }

    func testResponseAndBatchEncoding() throws {
        var summary = IngestSummary()
        summary.accepted = 2
        summary.duplicates = 1
        summary.rejections = [(index: 3, reason: "kind: x")]
        summary.lastOffset = 300
        XCTAssertEqual(summary.encodedResponse(), [0x08, 2, 0x10, 1, 0x1A, 11, 0x08, 3, 0x12, 7] + Array("kind: x".utf8) + [0x20, 0xAC, 0x02])

        let pipeline = try pipeline { 1_800_000_000_000 }
        _ = try ingest(pipeline, [activity("e1"), activity("e2")], scope: .unchecked)
        var encoder = ActivityBatchEncoder()
        _ = try pipeline.log.read(from: 0, maxCount: 10, maxBytes: .max) { encoder.append($0) }
        XCTAssertEqual(encoder.count, 2)
        XCTAssertEqual(encoder.nextOffset, 2)
        // Walk the batch: two LoggedActivity entries, each embedding the original bytes.
        try encoder.bytes.withUnsafeBytes { raw in
            var outer = WireScanner(raw)
            var payloads: [[UInt8]] = []
            while !outer.isAtEnd {
                let (field, _) = try outer.readTag()
                XCTAssertEqual(field, 1)
                var inner = WireScanner(outer.slice(try outer.readLengthDelimited()))
                while !inner.isAtEnd {
                    let (innerField, type) = try inner.readTag()
                    if innerField == 3 { payloads.append(Array(inner.slice(try inner.readLengthDelimited()))) } else { try inner.skip(type) }
                }
            }
            XCTAssertEqual(payloads, [activity("e1").bytes, activity("e2").bytes])
        }
        pipeline.log.close()
    }

    func testSubscribeRequestFields() throws {
        let fields = try [UInt8]([0x08, 0x96, 0x01, 0x10, 0x05]).withUnsafeBytes { try SubscribeRequestFields($0) }
        XCTAssertEqual(fields, { var f = try! SubscribeRequestFields(UnsafeRawBufferPointer(start: nil, count: 0)); f.fromOffset = 150; f.maxBatch = 5; return f }())
        XCTAssertThrowsError(try [UInt8]([0x0A, 0x01, 0x00]).withUnsafeBytes { try SubscribeRequestFields($0) })
    }
}
