import FanHeatRuntime
import FanHeatTransport
import Foundation

// gRPC interop client: `interop-client --server_host=H --server_port=P --test_case=NAME`
// (also `all`); exit 0 when every case passed, 1 otherwise, 2 on bad flags.
var flags: [String: String] = ["server_host": "127.0.0.1", "test_case": "all"]
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    guard argument.hasPrefix("--") else {
        FileHandle.standardError.write(Data("interop-client: unexpected argument \(argument)\n".utf8))
        exit(2)
    }
    let body = argument.dropFirst(2)
    if let equals = body.firstIndex(of: "=") {
        flags[String(body[..<equals])] = String(body[body.index(after: equals)...])
    } else if !arguments.isEmpty {
        flags[String(body)] = arguments.removeFirst()
    }
}
guard let port = flags["server_port"].flatMap(Int.init), let host = flags["server_host"] else {
    FileHandle.standardError.write(Data("usage: interop-client --server_host=HOST --server_port=PORT --test_case=NAME|all\n".utf8))
    exit(2)
}
let names = flags["test_case"] == "all" ? InteropCases.names : [flags["test_case"]!]
let channel: HTTP2ClientChannel
do { channel = try HTTP2ClientChannel(target: "\(host):\(port)") } catch {
    FileHandle.standardError.write(Data("interop-client: \(error)\n".utf8))
    exit(2)
}
let cases = InteropCases(channel: channel)
var failures = 0
for name in names {
    do {
        try await cases.run(name)
        print("PASS \(name)")
    } catch {
        failures += 1
        print("FAIL \(name): \(error)")
    }
}
exit(failures == 0 ? 0 : 1)
