import IngestCore

/// Builds Activity and IngestRequest wire bytes for tests.
struct ActivityBytes {
    var eventID = "evt-1"
    var clubID = "club-a"
    var memberID = "m-1"
    var kind: UInt64 = 1
    var occurredAt: Int64 = 1_800_000_000_000
    var itemID = "item-9"
    var value: Int64 = 30
    var currency = ""
    var attributes: [(String, String)] = []

    var bytes: [UInt8] {
        var writer = WireWriter()
        writer.appendStringField(1, eventID)
        writer.appendStringField(2, clubID)
        writer.appendStringField(3, memberID)
        writer.appendVarintField(4, kind)
        writer.appendVarintField(5, UInt64(bitPattern: occurredAt))
        writer.appendStringField(6, itemID)
        writer.appendVarintField(7, UInt64(bitPattern: value))
        writer.appendStringField(8, currency)
        for (key, value) in attributes {
            var entry = WireWriter()
            entry.appendStringField(1, key)
            entry.appendStringField(2, value)
            entry.bytes.withUnsafeBytes { writer.appendBytesField(15, $0) }
        }
        return writer.bytes
    }

    static func request(_ activities: [ActivityBytes]) -> [UInt8] {
        var writer = WireWriter()
        for activity in activities { activity.bytes.withUnsafeBytes { writer.appendBytesField(1, $0) } }
        return writer.bytes
    }
}
