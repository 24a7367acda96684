import FanHeatProtobuf

/// `google.protobuf.FileDescriptorSet`: what `protoc --descriptor_set_out` writes.
struct FileDescriptorSet: ProtobufMessage {
    static let protoMessageName = "google.protobuf.FileDescriptorSet"
    /// The files, dependencies first (with `--include_imports`).
    var files: [FileDescriptorProto] = []

    init() {}

    mutating func decodeMessage(from reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        while reader.hasRemaining {
            switch try reader.readTag() {
            case 10:
                // Keep each file's exact bytes: they are embedded for reflection.
                let bytes = try reader.readLengthDelimitedBytes()
                var file = try FileDescriptorProto(decoding: bytes)
                file.serialized = [UInt8](bytes)
                files.append(file)
            default: try reader.skipFieldValue()
            }
        }
    }

    func encodeMessage(to writer: inout ProtobufWriter) {
        for file in files {
            writer.writeTag(10)
            writer.writeBytes(file.serialized)
        }
    }
}
