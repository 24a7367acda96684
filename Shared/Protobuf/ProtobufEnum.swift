/// A generated protobuf enum: open (unknown numbers are kept in an `unrecognized` case),
/// with the zero value as its default.
public protocol ProtobufEnum: Sendable, Hashable, CaseIterable {
    /// The enum with the value 0.
    init()
    /// The case for `rawValue`, or `.unrecognized(rawValue)` if the enum does not declare it.
    init(rawValue: Int32)
    /// The number sent on the wire.
    var rawValue: Int32 { get }
}
