import FanHeatRPC

/// The two fields of a `SubscribeRequest`, read in place.
public struct SubscribeRequestFields: Sendable, Equatable {
    /// The first offset wanted.
    public var fromOffset: UInt64 = 0
    /// Most activities per streamed batch; 0 lets the server choose.
    public var maxBatch: UInt32 = 0

    /// Decodes `bytes`, or throws INVALID_ARGUMENT naming the problem.
    public init(_ bytes: UnsafeRawBufferPointer) throws(RPCError) {
        var scanner = WireScanner(bytes)
        do throws(WireScanner.Malformed) {
            while !scanner.isAtEnd {
                let (field, type) = try scanner.readTag()
                switch (field, type) {
                case (1, .varint): fromOffset = try scanner.readVarint()
                case (2, .varint): maxBatch = UInt32(truncatingIfNeeded: try scanner.readVarint())
                case (1, _), (2, _): throw WireScanner.Malformed(reason: "field \(field) has a wrong wire type")
                default: try scanner.skip(type)
                }
            }
        } catch {
            throw RPCError(code: .invalidArgument, message: "request is not a valid SubscribeRequest: \(error.reason)")
        }
    }
}
