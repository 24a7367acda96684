import Foundation

// The FanHeat operator tool: `fanheat <group> <action> [options]`.
let code = await CommandRegistry.run(Array(CommandLine.arguments.dropFirst()),
                                     environment: ProcessInfo.processInfo.environment)
exit(code)
