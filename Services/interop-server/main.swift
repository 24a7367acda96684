import FanHeatRPC
import FanHeatTransport
import Foundation

var router = ServiceRouter()
router.register(service: "test.Echo", method: "Unary", kind: .unary, handler: .unaryCallback { bytes, _, responder in
    responder.succeed(serializedResponse: Array(bytes))
})
router.register(service: "test.Echo", method: "Bidi", kind: .bidirectionalStreaming, handler: .streaming { requests, responses, _ in
    for try await message in requests { try await responses.write(message) }
})
let server = GRPCServer(router: router)
let address = try server.start(host: "127.0.0.1", port: Int(CommandLine.arguments.last!) ?? 50099)
print("listening on \(address)")
while true { sleep(100) }
