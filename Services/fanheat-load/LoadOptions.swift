import Foundation

/// The command line of `fanheat-load`.
struct LoadOptions {
    var ingestAddress = ProcessInfo.processInfo.environment["FANHEAT_INGEST_ADDR"] ?? "127.0.0.1:7002"
    var identityAddress = ProcessInfo.processInfo.environment["FANHEAT_IDENTITY_ADDR"]
    var adminKey = ProcessInfo.processInfo.environment["FANHEAT_ADMIN_KEY"]
    var club: String?
    var apiKey: String?
    var clubs = 1
    var members = 1000
    var batch = 100
    var concurrency = 64
    var connections = 2
    var durationSeconds: Double? = nil
    var count: Int? = nil
    var rate: Double = 0
    var json = false
    var seed: UInt64 = 42
    var zipfExponent = 1.1
    var prepareOnly = false
    var timeoutSeconds: Double = 10
    var quiet = false

    static let usage = """
    usage: fanheat-load [options]
      --ingest-addr HOST:PORT    activity-ingest (default $FANHEAT_INGEST_ADDR or 127.0.0.1:7002)
      --identity-addr HOST:PORT  identity, to prepare clubs, keys and members (default $FANHEAT_IDENTITY_ADDR);
                                 needs the admin key in $FANHEAT_ADMIN_KEY
      --clubs K                  clubs to prepare (default 1)
      --members N                members per prepared club (default 1000); with --club: members m-0000000..
                                 that already exist (as a previous prepare made them)
      --club ID --api-key KEY    use an existing club and key instead of preparing one
      --prepare-only             prepare through identity, print the club, key and member count, exit
      --batch N                  activities per Ingest call (default 100)
      --concurrency N            calls in flight (default 64)
      --connections N            HTTP/2 connections (default 2)
      --duration D               run for D (e.g. 30s, 2m; default 10s unless --count)
      --count N                  run exactly N calls
      --rate R                   target calls per second (default: as fast as possible)
      --zipf S                   Zipf exponent of member activity (default 1.1)
      --seed N                   random seed (default 42)
      --timeout D                per-call deadline (default 10s)
      --json                     print the summary as one JSON object on stdout
      --quiet                    no live progress line
    """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let next = iterator.next() else { throw LoadError("\(flag) needs a value") }
            return next
        }
        func integer(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw LoadError("\(flag): \(text) is not a positive integer") }
            return number
        }
        while let argument = iterator.next() {
            var flag = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                flag = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            if let inline {
                var rest = Array(iterator)
                rest.insert(inline, at: 0)
                iterator = rest.makeIterator()
            }
            switch flag {
            case "--ingest-addr": ingestAddress = try value(flag)
            case "--identity-addr": identityAddress = try value(flag)
            case "--club": club = try value(flag)
            case "--api-key": apiKey = try value(flag)
            case "--clubs": clubs = try integer(flag)
            case "--members": members = try integer(flag)
            case "--batch": batch = try integer(flag)
            case "--concurrency": concurrency = try integer(flag)
            case "--connections": connections = try integer(flag)
            case "--duration": durationSeconds = try Self.seconds(try value(flag))
            case "--count": count = try integer(flag)
            case "--rate":
                let text = try value(flag)
                guard let parsed = Double(text), parsed >= 0 else { throw LoadError("--rate: \(text) is not a rate") }
                rate = parsed
            case "--zipf":
                let text = try value(flag)
                guard let parsed = Double(text), parsed > 0 else { throw LoadError("--zipf: \(text) is not a positive number") }
                zipfExponent = parsed
            case "--seed": seed = UInt64(try integer(flag))
            case "--timeout": timeoutSeconds = try Self.seconds(try value(flag))
            case "--json": json = true
            case "--quiet": quiet = true
            case "--prepare-only": prepareOnly = true
            case "-h", "--help": throw LoadError(Self.usage, isUsage: true)
            default: throw LoadError("unknown option \(argument)\n\(Self.usage)")
            }
        }
        if (club == nil) != (apiKey == nil) { throw LoadError("--club and --api-key go together") }
        if club == nil && identityAddress == nil {
            throw LoadError("give --club and --api-key, or --identity-addr (and FANHEAT_ADMIN_KEY) to prepare a club")
        }
        if club == nil && adminKey == nil { throw LoadError("preparing a club needs the admin key in FANHEAT_ADMIN_KEY") }
        if durationSeconds == nil && count == nil { durationSeconds = 10 }
    }

    /// Parses "30s", "2m", "500ms" or a plain number of seconds.
    static func seconds(_ text: String) throws -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number > 0 { return number * factor }
        }
        if let number = Double(text), number > 0 { return number }
        throw LoadError("\(text) is not a duration (e.g. 30s, 2m, 500ms)")
    }
}

/// A command-line or setup failure, printed without a stack trace.
struct LoadError: Error, CustomStringConvertible {
    let description: String
    let isUsage: Bool

    init(_ description: String, isUsage: Bool = false) {
        self.description = description
        self.isUsage = isUsage
    }
}
