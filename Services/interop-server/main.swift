import FanHeatRPC
import FanHeatRuntime
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
if let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count {
    arguments[index] = "--listen"
    arguments[index + 1] = "127.0.0.1:" + arguments[index + 1]
}
let host = ServiceHost.fromCommandLine(HostSpecification(name: "interop-server", defaultPort: 10000), arguments: arguments)
host.register { router in
    router.register(service: "test.Echo", method: "Unary", kind: .unary, handler: .unaryCallback { bytes, _, responder in
        responder.succeed(serializedResponse: Array(bytes))
    })
    router.register(service: "test.Echo", method: "Bidi", kind: .bidirectionalStreaming, handler: .streaming { requests, responses, _ in
        for try await message in requests { try await responses.write(message) }
    })
}
host.run()
