import Foundation
import XCTest
@testable import FanHeatStorage

/// A test case that gives each test a fresh log directory (created by the log itself) and
/// removes it afterwards, with a helper that opens an ``ActivityLog`` there.
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
}
