import FanHeatStorage
import Foundation
import XCTest

final class SQLiteDatabaseTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private var path: String { directory.appendingPathComponent("test.sqlite3").path }

    func testOpensInWALModeWithFullSynchronous() throws {
        let database = try SQLiteDatabase(path: path)
        XCTAssertEqual(try database.query("PRAGMA journal_mode").first?.text(0), "wal")
        XCTAssertEqual(try database.query("PRAGMA synchronous").first?.integer(0), 2)
        XCTAssertEqual(try database.query("PRAGMA foreign_keys").first?.integer(0), 1)
    }

    func testTypedBindingAndReading() throws {
        let database = try SQLiteDatabase(path: path)
        try database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        let none: String? = nil
        try database.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", Int64.max, 2.5, "héllo ✓", [UInt8]([0, 1, 255]), none)
        let row = try XCTUnwrap(database.query("SELECT i, r, s, b, n FROM t").first)
        XCTAssertEqual(row.integer(0), Int64.max)
        XCTAssertEqual(row[1], .real(2.5))
        XCTAssertEqual(row.text(2), "héllo ✓")
        XCTAssertEqual(row.blob(3), [0, 1, 255])
        XCTAssertTrue(row.isNull(4))
        XCTAssertNil(row.optionalText(4))
    }

    func testWrongParameterCountIsAnError() throws {
        let database = try SQLiteDatabase(path: path)
        try database.execute("CREATE TABLE t (a INTEGER)")
        XCTAssertThrowsError(try database.run("INSERT INTO t VALUES (?)", 1, 2)) { error in
            XCTAssertTrue("\(error)".contains("parameters"), "\(error)")
        }
        XCTAssertThrowsError(try database.query("SELECT nope FROM t")) { error in
            XCTAssertTrue("\(error)".contains("nope"), "\(error)")
        }
    }

    func testTransactionRollsBackOnError() throws {
        let database = try SQLiteDatabase(path: path)
        try database.execute("CREATE TABLE t (a INTEGER PRIMARY KEY)")
        try database.run("INSERT INTO t VALUES (1)")
        XCTAssertThrowsError(try database.transaction {
            try database.run("INSERT INTO t VALUES (2)")
            try database.run("INSERT INTO t VALUES (1)")
        }) { error in
            XCTAssertTrue((error as? SQLiteError)?.isConstraintViolation == true, "\(error)")
        }
        XCTAssertEqual(try database.query("SELECT count(*) FROM t").first?.integer(0), 1)
        let nested: Int = try database.transaction {
            try database.run("INSERT INTO t VALUES (3)")
            return try database.transaction { try database.run("INSERT INTO t VALUES (4)") }
        }
        XCTAssertEqual(nested, 1)
        XCTAssertEqual(try database.query("SELECT a FROM t ORDER BY a").map { $0.integer(0) }, [1, 3, 4])
    }

    func testMigrationsApplyOnceInOrderAndPersist() throws {
        let migrations = [
            SQLiteMigration(version: 2, name: "add column", sql: "ALTER TABLE t ADD COLUMN b TEXT"),
            SQLiteMigration(version: 1, name: "create", sql: "CREATE TABLE t (a INTEGER)"),
        ]
        do {
            let database = try SQLiteDatabase(path: path)
            XCTAssertEqual(try database.migrate(migrations), [1, 2])
            try database.run("INSERT INTO t (a, b) VALUES (?, ?)", 1, "x")
        }
        let reopened = try SQLiteDatabase(path: path)
        XCTAssertEqual(try reopened.schemaVersion(), 2)
        XCTAssertEqual(try reopened.migrate(migrations), [])
        let more = migrations + [SQLiteMigration(version: 3, name: "index", sql: "CREATE INDEX t_a ON t(a)")]
        XCTAssertEqual(try reopened.migrate(more), [3])
        XCTAssertEqual(try reopened.query("SELECT b FROM t").first?.text(0), "x")
    }

    func testFailedMigrationLeavesNoTrace() throws {
        let database = try SQLiteDatabase(path: path)
        let broken = [SQLiteMigration(version: 1, name: "half", sql: "CREATE TABLE ok (a); CREATE TABLE broken (")]
        XCTAssertThrowsError(try database.migrate(broken))
        XCTAssertEqual(try database.schemaVersion(), 0)
        XCTAssertTrue(try database.query("SELECT name FROM sqlite_master WHERE name = 'ok'").isEmpty)
    }

    func testSecondConnectionSeesCommittedWrites() throws {
        let writer = try SQLiteDatabase(path: path)
        try writer.execute("CREATE TABLE t (a INTEGER)")
        let reader = try SQLiteDatabase(path: path)
        try writer.run("INSERT INTO t VALUES (7)")
        XCTAssertEqual(try reader.serialized { try $0.query("SELECT a FROM t").first?.integer(0) }, 7)
    }
}
