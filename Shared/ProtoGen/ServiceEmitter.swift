/// Emits, per service: method descriptors, the server handler protocol with its
/// registration, and the client stub.
struct ServiceEmitter {
    /// One method, resolved.
    struct Method {
        let protoName: String
        let swiftName: String
        let request: String
        let response: String
        let clientStreaming: Bool
        let serverStreaming: Bool

        var kind: String {
            switch (clientStreaming, serverStreaming) {
            case (false, false): "unary"
            case (true, false): "clientStreaming"
            case (false, true): "serverStreaming"
            case (true, true): "bidirectionalStreaming"
            }
        }
    }

    /// The fully qualified service name.
    let protoName: String
    /// The Swift namespace enum name, e.g. `Fanheat_Ingest_V1_ActivityIngest`.
    let swiftName: String
    /// The methods.
    let methods: [Method]

    /// Resolves `service`'s methods.
    init(service: ServiceDescriptorProto, package: String, types: TypeTable) throws(GeneratorError) {
        protoName = package.isEmpty ? service.name : package + "." + service.name
        swiftName = Naming.typePrefix(package: package) + service.name
        var resolved: [Method] = []
        for method in service.methods {
            let name = method.name.prefix(1).lowercased() + method.name.dropFirst()
            resolved.append(Method(protoName: method.name, swiftName: name,
                                   request: try types.swiftName(method.inputType),
                                   response: try types.swiftName(method.outputType),
                                   clientStreaming: method.clientStreaming, serverStreaming: method.serverStreaming))
        }
        methods = resolved
    }

    /// Emits everything into `out`.
    func emit(into out: inout SourceBuilder) {
        emitDescriptors(into: &out)
        out.line()
        emitServerProtocol(into: &out)
        out.line()
        emitClient(into: &out)
    }

    private func emitDescriptors(into out: inout SourceBuilder) {
        out.line("/// The gRPC service `\(protoName)`: its name and method descriptors.")
        out.block("public enum \(swiftName) {") { out in
            out.line("/// The fully qualified service name.")
            out.line("public static let serviceName = \"\(protoName)\"")
            out.line()
            out.line("/// The service's methods.")
            out.block("public enum Method {") { out in
                for method in methods {
                    out.line("/// `\(protoName)/\(method.protoName)` (\(method.kind)).")
                    out.line("public static let \(Naming.identifier(method.swiftName)) = MethodDescriptor<\(method.request), \(method.response)>(")
                    out.line("    service: serviceName, method: \"\(method.protoName)\", kind: .\(method.kind))")
                }
            }
        }
    }

    private func emitServerProtocol(into out: inout SourceBuilder) {
        let protocolName = swiftName + "Service"
        out.line("/// Implement this to serve `\(protoName)`; register it with `ServiceRouter.register(_:)`.")
        out.block("public protocol \(protocolName): RegistrableService {") { out in
            for method in methods {
                out.line("/// Handles `\(method.protoName)`.")
                out.line("func \(signature(method))")
            }
        }
        out.line()
        out.block("extension \(protocolName) {") { out in
            out.line("/// Registers every method of `\(protoName)` with `router`.")
            out.block("public func registerMethods(with router: inout ServiceRouter) {") { out in
                for method in methods {
                    let descriptor = "\(swiftName).Method.\(Naming.identifier(method.swiftName))"
                    let call = Naming.identifier(method.swiftName)
                    switch (method.clientStreaming, method.serverStreaming) {
                    case (false, false):
                        out.block("router.registerUnary(\(descriptor)) { request, context in") { out in
                            out.line("try await self.\(call)(request: request, context: context)")
                        }
                    case (true, false):
                        out.block("router.registerClientStreaming(\(descriptor)) { requests, context in") { out in
                            out.line("try await self.\(call)(requests: requests, context: context)")
                        }
                    case (false, true):
                        out.block("router.registerServerStreaming(\(descriptor)) { request, responses, context in") { out in
                            out.line("try await self.\(call)(request: request, responses: responses, context: context)")
                        }
                    case (true, true):
                        out.block("router.registerBidirectionalStreaming(\(descriptor)) { requests, responses, context in") { out in
                            out.line("try await self.\(call)(requests: requests, responses: responses, context: context)")
                        }
                    }
                }
            }
        }
    }

    private func signature(_ method: Method) -> String {
        let name = Naming.identifier(method.swiftName)
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false):
            return "\(name)(request: \(method.request), context: ServerContext) async throws -> \(method.response)"
        case (true, false):
            return "\(name)(requests: RequestStream<\(method.request)>, context: ServerContext) async throws -> \(method.response)"
        case (false, true):
            return "\(name)(request: \(method.request), responses: ResponseWriter<\(method.response)>, context: ServerContext) async throws"
        case (true, true):
            return "\(name)(requests: RequestStream<\(method.request)>, responses: ResponseWriter<\(method.response)>, context: ServerContext) async throws"
        }
    }

    private func emitClient(into out: inout SourceBuilder) {
        out.line("/// A client for `\(protoName)` over any channel.")
        out.block("public struct \(swiftName)Client: Sendable {") { out in
            out.line("/// The channel calls go through.")
            out.line("public let channel: any ClientChannel")
            out.line()
            out.line("/// Creates a client.")
            out.line("public init(channel: any ClientChannel) { self.channel = channel }")
            for method in methods {
                out.line()
                emitClientMethod(method, into: &out)
            }
        }
    }

    private func emitClientMethod(_ method: Method, into out: inout SourceBuilder) {
        let name = Naming.identifier(method.swiftName)
        let descriptor = "\(swiftName).Method.\(name)"
        let options = "options: CallOptions = CallOptions()"
        let writer = "@escaping @Sendable (RequestWriter<\(method.request)>) async throws -> Void"
        let reader = "@escaping @Sendable (ClientResponseStream<\(method.response)>) async throws -> Result"
        out.line("/// Calls `\(method.protoName)` (\(method.kind)).")
        switch (method.clientStreaming, method.serverStreaming) {
        case (false, false):
            out.block("public func \(name)(_ request: \(method.request), \(options)) async throws -> \(method.response) {") { out in
                out.line("try await channel.unary(\(descriptor), request: request, options: options).message")
            }
        case (true, false):
            out.block("public func \(name)(\(options), requests: \(writer)) async throws -> \(method.response) {") { out in
                out.line("try await channel.clientStreaming(\(descriptor), options: options, requestProducer: requests).message")
            }
        case (false, true):
            out.block("public func \(name)<Result: Sendable>(_ request: \(method.request), \(options), responses: \(reader)) async throws -> Result {") { out in
                out.line("try await channel.serverStreaming(\(descriptor), request: request, options: options, responseHandler: responses)")
            }
        case (true, true):
            out.block("public func \(name)<Result: Sendable>(\(options), requests: \(writer), responses: \(reader)) async throws -> Result {") { out in
                out.line("try await channel.bidirectionalStreaming(\(descriptor), options: options, requestProducer: requests, responseHandler: responses)")
            }
        }
    }
}
