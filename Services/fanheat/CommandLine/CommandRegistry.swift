import FanHeatRPC
import Foundation

/// Every subcommand group, the help text and the dispatch with exit codes:
/// 0 success, 1 the call failed with a gRPC status, 2 usage error.
enum CommandRegistry {
    /// The groups, in help order. Later services add their group here.
    static let groups: [any CommandGroup.Type] = [
        ClubCommands.self, KeyCommands.self, MemberCommands.self, TokenCommands.self, ActivityCommands.self,
    ]

    /// Runs the command line and returns the exit code.
    static func run(_ arguments: [String], environment: [String: String]) async -> Int32 {
        let parsed: ParsedArguments
        do { parsed = try ParsedArguments(arguments) } catch {
            printError("fanheat: \(error)")
            return 2
        }
        let json = parsed.flag("json")
        guard let groupName = parsed.positional.first else {
            print(help())
            return parsed.flag("help") ? 0 : 2
        }
        guard let group = groups.first(where: { $0.name == groupName }) else {
            printError("fanheat: unknown command \"\(groupName)\"\n\n" + help())
            return 2
        }
        guard parsed.positional.count >= 2, let action = group.actions.first(where: { $0.name == parsed.positional[1] }) else {
            let problem = parsed.positional.count >= 2 ? "unknown action \"\(parsed.positional[1])\"" : "missing action"
            if parsed.flag("help") { print(help(group)); return 0 }
            printError("fanheat \(groupName): \(problem)\n\n" + help(group))
            return 2
        }
        if parsed.flag("help") {
            print("usage: fanheat \(group.name) \(action.name) \(action.usage)\n  \(action.summary)")
            return 0
        }
        do {
            let output = try await action.run(parsed, CommandEnvironment(variables: environment, arguments: parsed))
            print(json ? output.json.rendered : output.text.joined(separator: "\n"))
            return 0
        } catch let error as UsageError {
            printError("fanheat \(group.name) \(action.name): \(error)")
            return 2
        } catch let error as RPCError {
            if json {
                printError(JSONValue.object(["error": .object(["code": .string(error.code.name),
                                                               "message": .string(error.message)])]).rendered)
            } else {
                printError("fanheat \(group.name) \(action.name): \(error.code.name): \(error.message)")
            }
            return 1
        } catch {
            printError("fanheat \(group.name) \(action.name): \(error)")
            return 1
        }
    }

    /// The top-level help text.
    static func help() -> String {
        var lines = ["usage: fanheat <group> <action> [options] [--json]", "", "groups:"]
        for group in groups { lines.append("  \(group.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(group.summary)") }
        lines += ["", "common options:",
                  "  --identity-addr HOST:PORT  identity address (FANHEAT_IDENTITY_ADDR, default 127.0.0.1:7001)",
                  "  --api-key KEY              club API key (else FANHEAT_ADMIN_KEY, else FANHEAT_API_KEY)",
                  "  --admin-key-file PATH      read the admin key from a file",
                  "  --timeout SECONDS          call deadline (default 10)",
                  "  --json                     print JSON for scripts",
                  "", "exit codes: 0 ok, 1 the call failed (gRPC status printed), 2 usage error",
                  "run `fanheat <group> --help` for actions"]
        return lines.joined(separator: "\n")
    }

    /// The help text of one group.
    static func help(_ group: any CommandGroup.Type) -> String {
        var lines = ["usage: fanheat \(group.name) <action> [options]", "  \(group.summary)", "", "actions:"]
        for action in group.actions {
            lines.append("  \(action.name) \(action.usage)")
            lines.append("      \(action.summary)")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes a line to standard error.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
