import FanHeatContracts
import FanHeatRPC
import FanHeatRuntime

// gRPC interop server: `interop-server --port N` (gRPC's interop flag), or the common
// host flags (`--listen HOST:PORT`, `--metrics-listen`, `--log-level`, ...).
var arguments = Array(CommandLine.arguments.dropFirst())
if let index = arguments.firstIndex(where: { $0 == "--port" || $0.hasPrefix("--port=") }) {
    let port = arguments[index].hasPrefix("--port=") ? String(arguments[index].dropFirst(7))
        : (index + 1 < arguments.count ? arguments.remove(at: index + 1) : "")
    arguments[index] = "--listen=127.0.0.1:\(port)"
}
arguments.removeAll { $0.hasPrefix("--use_tls") }
let host = ServiceHost.fromCommandLine(
    HostSpecification(name: "interop-server", defaultPort: 10000,
                      summary: "grpc.testing.TestService for gRPC interop tests and benchmarks"),
    arguments: arguments)
host.register(TestServiceImplementation())
host.register { router in
    // The hot unary methods run on the event loop (no task per call).
    router.registerUnaryCallback(Grpc_Testing_TestService.Method.unaryCall) { request, context, responder in
        switch TestServiceImplementation.answer(request, context: context) {
        case .success(let response): responder.succeed(response)
        case .failure(let error): responder.fail(error)
        }
    }
    router.registerUnaryCallback(Grpc_Testing_TestService.Method.emptyCall) { _, _, responder in
        responder.succeed(Grpc_Testing_Empty())
    }
}
host.run()
