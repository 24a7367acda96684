import Dispatch
import FanHeatTransport
import Foundation

// fanheat-load: drives activity-ingest with realistic synthetic activities.
func exitWithError(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("fanheat-load: \(message)\n".utf8))
    exit(status)
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data("fanheat-load: \(message)\n".utf8))
}

let options: LoadOptions
do {
    options = try LoadOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch let error as LoadError {
    if error.isUsage {
        print(error.description)
        exit(0)
    }
    exitWithError(error.description)
}

var clubs: [(club: String, apiKey: String)]
if let club = options.club, let apiKey = options.apiKey {
    clubs = [(club, apiKey)]
} else {
    let identityAddress = options.identityAddress!
    let channel: HTTP2ClientChannel
    do { channel = try HTTP2ClientChannel(target: identityAddress) } catch { exitWithError("identity \(identityAddress): \(error)") }
    let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    progress("preparing \(options.clubs) club(s) with \(options.members) members each through identity at \(identityAddress)")
    do {
        clubs = try await IdentityPreparer(channel: channel, adminKey: options.adminKey!)
            .prepare(clubs: options.clubs, members: options.members, tag: tag) { progress($0) }
    } catch {
        exitWithError("preparing through identity failed: \(error)", status: 1)
    }
    channel.close()
}

if options.prepareOnly {
    if options.json {
        let list = clubs.map { ["club": $0.club, "api_key": $0.apiKey] }
        let data = try JSONSerialization.data(withJSONObject: ["clubs": list, "members_per_club": options.members], options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    } else {
        for club in clubs { print("FANHEAT_LOAD_CLUB=\(club.club) FANHEAT_LOAD_API_KEY=\(club.apiKey) FANHEAT_LOAD_MEMBERS=\(options.members)") }
    }
    exit(0)
}

let nowMilliseconds = Int64(Date().timeIntervalSince1970 * 1000)
let generator = WorkloadGenerator(clubs: clubs, members: options.members, batch: options.batch, zipf: options.zipfExponent,
                                  seed: options.seed, nowMilliseconds: nowMilliseconds)
var configuration = ClientConfiguration()
configuration.connectionsPerAddress = options.connections
let group = EventLoopGroup(loopCount: min(options.connections, EventLoopGroup.coreCount))
let channel: HTTP2ClientChannel
do {
    channel = try HTTP2ClientChannel(target: options.ingestAddress, group: group, configuration: configuration)
} catch {
    exitWithError("ingest \(options.ingestAddress): \(error)")
}
let statistics = LoadStatistics()
let driver = LoadDriver(channel: channel, generator: generator, statistics: statistics, options: options)

let ticker = ProgressTicker(driver: driver, statistics: statistics)
if !options.quiet { ticker.start() }
driver.run()
let seconds = driver.elapsedSeconds
ticker.stop()
let totals = statistics.total
if options.json {
    let summary = LoadReport.summary(totals, seconds: seconds, options: options, clubs: clubs.map(\.club))
    let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
} else {
    print(LoadReport.text(totals, seconds: seconds, options: options))
}
channel.close()
exit(totals.okCalls == 0 ? 1 : 0)
