import FanHeatRPC
import Foundation
import IdentityCore
import Synchronization
import XCTest

/// A settable clock for the store.
final class TestClock: Sendable {
    private let value = Mutex<Int64>(1_790_000_000_000)
    var now: Int64 { value.withLock { $0 } }
    func advance(milliseconds: Int64) { value.withLock { $0 += milliseconds } }
}

/// A store on a fresh temporary directory with a controllable clock.
final class IdentityTestFixture: Sendable {
    static let adminKey = "test-admin-key-0123456789"
    let directory: URL
    let clock = TestClock()
    let store: IdentityStore

    init(graceSeconds: Int64 = 3_600) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("identity-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try IdentityTestFixture.open(directory: directory, clock: clock, graceSeconds: graceSeconds)
    }

    static func open(directory: URL, clock: TestClock, graceSeconds: Int64) throws -> IdentityStore {
        var configuration = IdentityConfiguration(databasePath: directory.appendingPathComponent("identity.sqlite3").path,
                                                  adminKey: adminKey)
        configuration.defaultRejoinGraceSeconds = graceSeconds
        configuration.now = { [clock] in clock.now }
        return try IdentityStore(configuration: configuration)
    }

    /// Moves the clock forward.
    func advance(seconds: Int64) { clock.advance(milliseconds: seconds * 1000) }

    /// A club and a club key for it.
    func makeClub(_ id: String) throws -> (club: Club, caller: Caller, secret: String) {
        let club = try store.createClub(caller: .admin, id: id, name: "Club \(id)", timeZone: "Asia/Tokyo",
                                        defaultLocale: "ja-JP", rejoinGraceSeconds: 0)
        let key = try store.createApiKey(caller: .admin, clubID: id, name: "backend")
        return (club, try store.authenticate(bearer: key.secret), key.secret)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// Asserts that `body` throws an RPCError with `code`, optionally mentioning `text`.
func XCTAssertStatus<T>(_ code: StatusCode, mentioning text: String? = nil, _ body: @autoclosure () throws -> T,
                        file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(code.name), the call succeeded", file: file, line: line)
    } catch let error as RPCError {
        XCTAssertEqual(error.code, code, error.message, file: file, line: line)
        if let text { XCTAssertTrue(error.message.contains(text), "\"\(error.message)\" lacks \"\(text)\"", file: file, line: line) }
    } catch {
        XCTFail("expected RPCError \(code.name), got \(error)", file: file, line: line)
    }
}
