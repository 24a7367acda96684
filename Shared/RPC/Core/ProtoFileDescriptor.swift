/// One `.proto` file as compiled into the binary: what gRPC reflection serves.
///
/// Generated code provides one of these per contract file (see
/// `GeneratedProtoFiles.all` in FanHeatContracts).
public struct ProtoFileDescriptor: Sendable {
    /// The file's path as protoc saw it, e.g. `fanheat/ingest/v1/ingest.proto`.
    public let name: String
    /// The protobuf package, e.g. `fanheat.ingest.v1`.
    public let package: String
    /// Paths of the files this one imports.
    public let dependencies: [String]
    /// Fully qualified names of every service, method, message and enum declared here.
    public let symbols: [String]
    /// The serialized `google.protobuf.FileDescriptorProto`.
    public let serializedDescriptor: [UInt8]

    /// Creates a file descriptor record.
    public init(name: String, package: String, dependencies: [String], symbols: [String], serializedDescriptor: [UInt8]) {
        self.name = name
        self.package = package
        self.dependencies = dependencies
        self.symbols = symbols
        self.serializedDescriptor = serializedDescriptor
    }
}
