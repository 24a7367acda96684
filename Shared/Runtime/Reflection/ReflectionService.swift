import FanHeatRPC

/// gRPC server reflection (`grpc.reflection.v1` and `v1alpha`, same messages):
/// list services, file by name, file containing a symbol, so `grpcurl list` and
/// `describe` work without proto files.
struct ReflectionService: RegistrableService {
    static let serviceNames = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]
    /// The services to list (fixed when the server starts).
    let services: @Sendable () -> [String]
    /// Known files by name.
    let files: [String: ProtoFileDescriptor]

    init(services: @escaping @Sendable () -> [String], files: [ProtoFileDescriptor]) {
        self.services = services
        var byName: [String: ProtoFileDescriptor] = [:]
        for file in files { byName[file.name] = file }
        self.files = byName
    }

    func registerMethods(with router: inout ServiceRouter) {
        for name in Self.serviceNames {
            router.register(service: name, method: "ServerReflectionInfo", kind: .bidirectionalStreaming,
                            handler: .streaming { requests, responses, _ in
                for try await request in requests {
                    try await responses.write(answer(request))
                }
            })
        }
    }

    /// Answers one ServerReflectionRequest.
    func answer(_ request: [UInt8]) -> [UInt8] {
        var writer = WireWriter()
        guard let fields = readWireFields(request) else {
            writer.field(7, bytes: Self.error(.invalidArgument, "malformed ServerReflectionRequest"))
            return writer.bytes
        }
        var host = ""
        var body: [UInt8]?
        for field in fields {
            guard case .bytes(let value) = field.value else { continue }
            let text = String(decoding: value, as: UTF8.self)
            switch field.number {
            case 1: host = text
            case 3: body = fileResponse(files[text].map { [$0] }, missing: "file \(text) not found")
            case 4: body = fileResponse(file(containingSymbol: text).map { [$0] }, missing: "symbol \(text) not found")
            case 5: body = Self.errorField(.notFound, "extensions are not supported")
            case 6:
                var extensions = WireWriter()
                extensions.field(1, string: text)
                var outer = WireWriter()
                outer.field(5, bytes: extensions.bytes)
                body = outer.bytes
            case 7:
                var list = WireWriter()
                for name in services() {
                    var service = WireWriter()
                    service.field(1, string: name)
                    list.field(1, bytes: service.bytes)
                }
                var outer = WireWriter()
                outer.field(6, bytes: list.bytes)
                body = outer.bytes
            default: break
            }
        }
        writer.field(1, string: host)
        writer.field(2, bytes: request)
        writer.bytes.append(contentsOf: body ?? Self.errorField(.invalidArgument, "empty ServerReflectionRequest"))
        return writer.bytes
    }

    private func file(containingSymbol symbol: String) -> ProtoFileDescriptor? {
        if let file = files.values.first(where: { $0.symbols.contains(symbol) }) { return file }
        if let dot = symbol.lastIndex(of: ".") {
            let parent = String(symbol[..<dot])
            return files.values.first(where: { $0.symbols.contains(parent) })
        }
        return nil
    }

    /// A file_descriptor_response with the files and their transitive dependencies.
    private func fileResponse(_ found: [ProtoFileDescriptor]?, missing: String) -> [UInt8] {
        guard let found else { return Self.errorField(.notFound, missing) }
        var ordered: [ProtoFileDescriptor] = []
        var seen = Set<String>()
        var pending = found
        while let next = pending.first {
            pending.removeFirst()
            guard seen.insert(next.name).inserted else { continue }
            ordered.append(next)
            pending.append(contentsOf: next.dependencies.compactMap { files[$0] })
        }
        var list = WireWriter()
        for file in ordered { list.field(1, bytes: file.serializedDescriptor) }
        var outer = WireWriter()
        outer.field(4, bytes: list.bytes)
        return outer.bytes
    }

    private static func error(_ code: StatusCode, _ message: String) -> [UInt8] {
        var writer = WireWriter()
        writer.field(1, varint: UInt64(code.rawValue))
        writer.field(2, string: message)
        return writer.bytes
    }

    private static func errorField(_ code: StatusCode, _ message: String) -> [UInt8] {
        var writer = WireWriter()
        writer.field(7, bytes: error(code, message))
        return writer.bytes
    }
}
