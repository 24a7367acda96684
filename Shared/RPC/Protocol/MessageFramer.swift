/// Writes gRPC length-prefixed messages: a 1-byte compressed flag, a 4-byte
/// big-endian length, then the message bytes.
public enum MessageFramer {
    /// The size of the prefix in front of every message.
    public static let prefixLength = 5

    /// Appends `message`, framed, to `buffer`.
    public static func append(_ message: [UInt8], to buffer: inout [UInt8]) {
        appendPrefix(length: message.count, to: &buffer)
        buffer.append(contentsOf: message)
    }

    /// Appends `message`, framed, to `buffer`.
    public static func append(_ message: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        appendPrefix(length: message.count, to: &buffer)
        buffer.append(contentsOf: message)
    }

    /// Returns `message` framed in a new array.
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(message.count + prefixLength)
        append(message, to: &buffer)
        return buffer
    }

    /// Appends an uncompressed prefix for a message of `length` bytes.
    public static func appendPrefix(length: Int, to buffer: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: length)
        buffer.append(0)
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
    }
}
