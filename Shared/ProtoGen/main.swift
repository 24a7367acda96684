// fanheat-protogen: reads the FileDescriptorSet that
// `protoc --include_imports --descriptor_set_out=FILE` writes and generates Swift for
// every file in it: one `<path_with_underscores>.pb.swift` per .proto plus
// `GeneratedProtoFiles.swift`.
//
//   fanheat-protogen --descriptor-set FILE --output DIR
import FanHeatProtobuf

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints `message` to standard error and exits with status 1.
func fail(_ message: String) -> Never {
    FileIO.writeError("fanheat-protogen: \(message)\n")
    exit(1)
}

var descriptorPath: String?
var outputPath: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--descriptor-set": descriptorPath = arguments.popFirst()
    case "--output": outputPath = arguments.popFirst()
    case "-h", "--help":
        print("usage: fanheat-protogen --descriptor-set FILE --output DIR")
        exit(0)
    default: fail("unknown argument \(argument) (see --help)")
    }
}
guard let descriptorPath, let outputPath else { fail("usage: fanheat-protogen --descriptor-set FILE --output DIR") }

do {
    let bytes = try FileIO.read(descriptorPath)
    let set = try FileDescriptorSet(serializedBytes: bytes)
    guard !set.files.isEmpty else { fail("\(descriptorPath) holds no file descriptors") }
    let types = TypeTable(files: set.files)
    let emitters = set.files.map { FileEmitter(file: $0, types: types) }
    for emitter in emitters {
        try FileIO.write(try emitter.render(), to: outputPath + "/" + emitter.outputName)
    }
    try FileIO.write(IndexEmitter(files: emitters).render(), to: outputPath + "/GeneratedProtoFiles.swift")
    print("fanheat-protogen: wrote \(emitters.count + 1) files to \(outputPath)")
} catch {
    fail("\(error)")
}
