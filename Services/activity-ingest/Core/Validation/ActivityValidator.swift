/// Validates one `Activity` in place over its wire bytes and locates its fields; every
/// rejection reason names the offending field.
public struct ActivityValidator: Sendable {
    /// The bounds applied.
    public let limits: ActivityLimits

    /// Creates a validator with `limits`.
    public init(limits: ActivityLimits = ActivityLimits()) { self.limits = limits }

    /// Scans and validates `bytes` (one Activity) as of `now` (Unix ms): the located
    /// fields, or the reason the activity is rejected.
    public func validate(_ bytes: UnsafeRawBufferPointer, now: Int64) -> Result<ScannedActivity, ActivityRejection> {
        var scanned = ScannedActivity()
        var scanner = WireScanner(bytes)
        do throws(WireScanner.Malformed) {
            while !scanner.isAtEnd {
                let (field, type) = try scanner.readTag()
                switch field {
                case 1, 2, 3, 6, 8, 15:
                    guard type == .lengthDelimited else { return .failure(wrongType(field)) }
                    let range = try scanner.readLengthDelimited()
                    switch field {
                    case 1: scanned.eventID = range
                    case 2: scanned.clubID = range
                    case 3: scanned.memberID = range
                    case 6: scanned.itemID = range
                    case 8: scanned.currency = range
                    default:
                        scanned.attributeCount += 1
                        if let problem = checkAttribute(scanner.slice(range), number: scanned.attributeCount) {
                            return .failure(problem)
                        }
                    }
                case 4, 5, 7:
                    guard type == .varint else { return .failure(wrongType(field)) }
                    let raw = try scanner.readVarint()
                    switch field {
                    case 4: scanned.kind = raw
                    case 5: scanned.occurredAt = Int64(bitPattern: raw)
                    default: scanned.value = Int64(bitPattern: raw)
                    }
                default:
                    try scanner.skip(type)
                }
            }
        } catch {
            return .failure(ActivityRejection("activity is not valid protobuf: \(error.reason)"))
        }
        if let problem = checkFields(scanned, bytes, now: now) { return .failure(problem) }
        return .success(scanned)
    }

    private func wrongType(_ field: UInt32) -> ActivityRejection {
        let names: [UInt32: String] = [1: "event_id", 2: "club_id", 3: "member_id", 4: "kind", 5: "occurred_at_ms",
                                       6: "item_id", 7: "value", 8: "currency", 15: "attributes"]
        return ActivityRejection("\(names[field] ?? "field \(field)"): wrong wire type")
    }

    private func checkFields(_ scanned: ScannedActivity, _ bytes: UnsafeRawBufferPointer, now: Int64) -> ActivityRejection? {
        if let problem = checkIdentifier("event_id", scanned.eventID, required: true, bytes) { return problem }
        if let problem = checkIdentifier("club_id", scanned.clubID, required: true, bytes) { return problem }
        if let problem = checkIdentifier("member_id", scanned.memberID, required: true, bytes) { return problem }
        if let problem = checkIdentifier("item_id", scanned.itemID, required: false, bytes) { return problem }
        if scanned.kind == 0 { return ActivityRejection("kind: must be set (ACTIVITY_KIND_UNSPECIFIED is not allowed)") }
        if scanned.kind > ActivityKindNames.highestKnown { return ActivityRejection("kind: unknown value \(scanned.kind)") }
        if scanned.occurredAt <= 0 { return ActivityRejection("occurred_at_ms: must be a positive Unix time in milliseconds") }
        if scanned.occurredAt > now + limits.maxFutureMilliseconds {
            return ActivityRejection("occurred_at_ms: \(scanned.occurredAt) is more than \(limits.maxFutureMilliseconds / 60000) minutes in the future")
        }
        if scanned.value < 0 { return ActivityRejection("value: must not be negative (got \(scanned.value))") }
        let currency = UnsafeRawBufferPointer(rebasing: bytes[scanned.currency])
        if scanned.kind == ActivityKindNames.purchase {
            if currency.isEmpty { return ActivityRejection("currency: required on purchases (an ISO 4217 code such as JPY)") }
            if !CurrencyCodes.hasCodeShape(currency) {
                return ActivityRejection("currency: \"\(Self.printable(currency))\" is not an ISO 4217 code (three upper-case letters)")
            }
            if !CurrencyCodes.isActive(currency) {
                return ActivityRejection("currency: \"\(Self.printable(currency))\" is not an active ISO 4217 currency")
            }
        } else if !currency.isEmpty {
            return ActivityRejection("currency: only allowed on purchases")
        }
        if scanned.attributeCount > limits.maxAttributes {
            return ActivityRejection("attributes: \(scanned.attributeCount) entries, at most \(limits.maxAttributes) allowed")
        }
        return nil
    }

    @inline(__always)
    private func checkIdentifier(_ name: StaticString, _ range: Range<Int>, required: Bool, _ bytes: UnsafeRawBufferPointer) -> ActivityRejection? {
        if required && range.isEmpty { return ActivityRejection("\(name): must not be empty") }
        if range.count > limits.maxIdentifierBytes {
            return ActivityRejection("\(name): \(range.count) bytes, at most \(limits.maxIdentifierBytes) allowed")
        }
        if !Self.isValidUTF8(UnsafeRawBufferPointer(rebasing: bytes[range])) { return ActivityRejection("\(name): not valid UTF-8") }
        return nil
    }

    private func checkAttribute(_ entry: UnsafeRawBufferPointer, number: Int) -> ActivityRejection? {
        var scanner = WireScanner(entry)
        var key: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
        var value: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
        do throws(WireScanner.Malformed) {
            while !scanner.isAtEnd {
                let (field, type) = try scanner.readTag()
                if (field == 1 || field == 2) && type == .lengthDelimited {
                    let slice = scanner.slice(try scanner.readLengthDelimited())
                    if field == 1 { key = slice } else { value = slice }
                } else if field == 1 || field == 2 {
                    return ActivityRejection("attributes: entry \(number) has a wrong wire type")
                } else {
                    try scanner.skip(type)
                }
            }
        } catch {
            return ActivityRejection("attributes: entry \(number) is not valid protobuf: \(error.reason)")
        }
        if key.isEmpty { return ActivityRejection("attributes: entry \(number) has an empty key") }
        if key.count > limits.maxAttributeKeyBytes {
            return ActivityRejection("attributes: key \"\(Self.printable(key))\" is \(key.count) bytes, at most \(limits.maxAttributeKeyBytes) allowed")
        }
        if value.count > limits.maxAttributeValueBytes {
            return ActivityRejection("attributes: value of \"\(Self.printable(key))\" is \(value.count) bytes, at most \(limits.maxAttributeValueBytes) allowed")
        }
        if !Self.isValidUTF8(key) || !Self.isValidUTF8(value) {
            return ActivityRejection("attributes: entry \(number) is not valid UTF-8")
        }
        return nil
    }

    /// Whether `bytes` are valid UTF-8 (ASCII is checked eight bytes at a time).
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var position = 0
        let count = bytes.count
        while count - position >= 8 {
            if bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil
            }
            position += 8
        }
        while position < count {
            if bytes[position] >= 0x80 { return String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil }
            position += 1
        }
        return true
    }

    /// The bytes as text for a message (invalid UTF-8 repaired, at most 64 characters).
    public static func printable(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.count > 64 ? String(text.prefix(64)) + "…" : text
    }
}

/// Why one activity was rejected; the reason names the field.
public struct ActivityRejection: Error, Sendable, Equatable {
    /// Human-readable, starting with the field name.
    public let reason: String

    /// Creates a rejection.
    public init(_ reason: String) { self.reason = reason }
}
