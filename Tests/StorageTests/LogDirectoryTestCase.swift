import Foundation
import XCTest
@testable import FanHeatStorage

/// A test case that gives each test a fresh log directory (created by the log itself) and
/// removes it afterwards, with helpers that open an ``ActivityLog`` there and append to it.
class LogDirectoryTestCase: XCTestCase {
    /// This test's log directory, under the temporary directory.
    private(set) var directory = ""

    override func setUp() {
        super.setUp()
        directory = NSTemporaryDirectory() + "fanheat-log-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
        super.tearDown()
    }

    /// Opens (recovering) the log in ``directory`` with the defaults changed by
    /// `configure`, calling `visit` for every record recovery reads.
    func open(_ configure: (inout LogConfiguration) -> Void = { _ in }, visit: (LogRecordView) -> Void = { _ in }) throws -> ActivityLog {
        var configuration = LogConfiguration(directory: directory)
        configure(&configuration)
        return try ActivityLog(configuration: configuration, visit: visit)
    }

    /// Appends `payloads` (keyed by club "club" and the payload) in one batch, waits until
    /// they are durable and returns the offset after the last one.
    @discardableResult
    func append(_ log: ActivityLog, _ payloads: [String]) throws -> UInt64 {
        let (_, end) = try log.withAppender { appender in
            for payload in payloads {
                var text = payload
                _ = text.withUTF8 { appender.append(payload: UnsafeRawBufferPointer($0), key: KeyFingerprint("club", payload)) }
            }
        }
        let done = expectation(description: "durable")
        log.whenDurable(through: end) { error in
            XCTAssertNil(error)
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        return end
    }
}
