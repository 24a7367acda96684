import FanHeatContracts
import FanHeatRuntime
import FanHeatStorage
import FanHeatTransport
import Foundation
import IngestCore

let specification = HostSpecification(
    name: "activity-ingest",
    peers: ["identity"],
    options: [
        HostOption("auth-mode", help: "identity (club API keys verified with identity) or none (DEVELOPMENT ONLY: no auth, no membership check)",
                   defaultValue: "identity"),
        HostOption("admin-key-file", help: "file holding the admin key (else FANHEAT_ADMIN_KEY); needed to watch memberships"),
        HostOption("idempotency-window", help: "how long (club_id, event_id) is remembered, e.g. 7d", defaultValue: "7d"),
        HostOption("idempotency-expected-keys", help: "size the idempotency index up front for this many keys within the window, e.g. 50m (16-32 bytes each, faulted in at start), so it never grows under load (default 0: start small and grow)",
                   defaultValue: "0"),
        HostOption("retention-age", help: "delete whole log segments older than this, e.g. 30d (default: keep)"),
        HostOption("retention-bytes", help: "delete oldest whole segments beyond this total size, e.g. 50g (default: keep)"),
        HostOption("segment-bytes", help: "log segment size", defaultValue: "128m"),
        HostOption("log-page-cache", help: "newest synced log bytes kept in the page cache; older pages are freed for reuse by new writes (or unlimited)",
                   defaultValue: "64m"),
        HostOption("log-preallocate", help: "prepare the next segment file ahead, zero-filled, so group commits overwrite instead of growing the file (on or off)",
                   defaultValue: "on"),
        HostOption("log-commit-interval", help: "shortest time between two group commits; calls arriving meanwhile share one fdatasync (0: commit at once; auto: 500us, only after a commit of 32 KiB or more; e.g. 250us, 1ms)",
                   defaultValue: "0"),
        HostOption("key-cache-ttl", help: "how long a verified API key is trusted; revocation takes effect within it", defaultValue: "30s"),
        HostOption("max-batch", help: "most activities per Ingest request", defaultValue: "1000"),
    ],
    summary: "Durable, idempotent activity log: Ingest, IngestStream, Subscribe.")
let host = ServiceHost.fromCommandLine(specification)
let configuration = host.configuration

func fail(_ message: String) -> Never {
    host.logger.error(message)
    FileHandle.standardError.write(Data("activity-ingest: \(message)\n".utf8))
    exit(2)
}

/// The memory this process may use: the machine's, or the cgroup v2 limit when lower
/// (a container's `memory.max`), and which of the two it is.
func memoryLimit() -> (bytes: Int, source: String) {
    let physical = Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
    if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
       let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0, physical <= 0 || limit < physical {
        return (limit, "this container's memory limit")
    }
    return (physical, "this machine's memory")
}

var settings = IngestSettings()
settings.authMode = configuration.value("auth-mode") ?? "identity"
guard settings.authMode == "identity" || settings.authMode == "none" else { fail("--auth-mode must be identity or none") }
if let text = configuration.value("idempotency-window") {
    guard let value = IngestSettings.seconds(text) else { fail("--idempotency-window: \(text) is not a duration") }
    // The dedup index stamps long windows in coarser units (RecentKeyIndex); 1000 days is
    // a sanity bound, far beyond any idempotency use.
    guard value <= 1000 * 86400 else { fail("--idempotency-window: \(text) is longer than 1000d, the largest window accepted") }
    settings.idempotencyWindowSeconds = value
}
if let text = configuration.value("idempotency-expected-keys") {
    guard let value = IngestSettings.count(text) else { fail("--idempotency-expected-keys: \(text) is not a count such as 0, 500000, 500k, 50m") }
    guard value <= RecentKeyIndex.maximumExpectedKeys else {
        fail("--idempotency-expected-keys: \(text) is more than \(RecentKeyIndex.maximumExpectedKeys), the most the index can be sized for")
    }
    // The table is faulted in at start: refuse a size the machine (or the container's
    // memory limit) cannot hold rather than be killed for it later.
    let tableBytes = RecentKeyIndex.capacity(forExpectedKeys: value) * 8
    let (availableBytes, source) = memoryLimit()
    guard availableBytes <= 0 || tableBytes <= availableBytes / 2 else {
        fail("--idempotency-expected-keys: \(text) needs a \(tableBytes >> 20) MiB index table, more than half of \(source) (\(availableBytes >> 20) MiB)")
    }
    settings.expectedKeys = value
}
if let text = configuration.value("retention-age") {
    guard let value = IngestSettings.seconds(text) else { fail("--retention-age: \(text) is not a duration") }
    guard value <= 36_500 * 86400 else { fail("--retention-age: \(text) is longer than 36500d (to keep everything, leave the flag out)") }
    settings.retentionSeconds = value
}
if let text = configuration.value("retention-bytes") {
    guard let value = IngestSettings.bytes(text) else { fail("--retention-bytes: \(text) is not a size") }
    settings.retentionBytes = value
}
if let text = configuration.value("segment-bytes") {
    guard let value = IngestSettings.bytes(text) else { fail("--segment-bytes: \(text) is not a size") }
    settings.segmentBytes = value
}
if let text = configuration.value("log-page-cache") {
    if text == "unlimited" {
        settings.pageCacheBytes = nil
    } else {
        guard let value = IngestSettings.bytes(text) else { fail("--log-page-cache: \(text) is not a size or \"unlimited\"") }
        settings.pageCacheBytes = value
    }
}
if let text = configuration.value("log-preallocate") {
    guard text == "on" || text == "off" else { fail("--log-preallocate must be on or off, not \(text)") }
    settings.preallocateSegments = text == "on"
}
if let text = configuration.value("log-commit-interval") {
    if text == "auto" {
        settings.minimumCommitInterval = IngestSettings.automaticCommitInterval
        settings.commitIntervalMinimumBytes = IngestSettings.automaticCommitMinimumBytes
    } else {
        guard let value = IngestSettings.interval(text) else { fail("--log-commit-interval: \(text) is not \"auto\" or an interval such as 0, 500us, 1ms (at most 10s)") }
        settings.minimumCommitInterval = value
    }
}
if let text = configuration.value("key-cache-ttl") {
    guard let value = IngestSettings.seconds(text), value <= 86400 else { fail("--key-cache-ttl: \(text) is not a duration of at most 1d") }
    settings.keyCacheSeconds = value
}
if let text = configuration.value("max-batch") {
    guard let value = Int(text), value > 0 else { fail("--max-batch: \(text) is not a positive integer") }
    settings.maxBatch = value
}

let dataDirectory = configuration.dataDirectory ?? "data/activity-ingest"
var logConfiguration = LogConfiguration(directory: dataDirectory + "/log")
logConfiguration.segmentBytes = settings.segmentBytes
logConfiguration.pageCacheBytes = settings.pageCacheBytes
logConfiguration.preallocateSegments = settings.preallocateSegments
logConfiguration.minimumCommitInterval = settings.minimumCommitInterval
logConfiguration.commitIntervalMinimumBytes = settings.commitIntervalMinimumBytes
logConfiguration.reportPreparationFailure = { message in host.logger.warning(message) }
logConfiguration.retentionMilliseconds = settings.retentionSeconds.map { $0 * 1000 }
logConfiguration.retentionBytes = settings.retentionBytes
var limits = ActivityLimits()
limits.maxActivitiesPerRequest = settings.maxBatch

let started = ContinuousClock.now
let pipeline: IngestPipeline
do {
    pipeline = try IngestPipeline(log: logConfiguration, windowSeconds: settings.idempotencyWindowSeconds,
                                  expectedKeys: settings.expectedKeys, limits: limits)
} catch {
    fail("cannot open the activity log in \(logConfiguration.directory): \(error.description)")
}
host.logger.info("activity log recovered", [
    "directory": logConfiguration.directory, "next_offset": String(pipeline.log.durableEnd),
    "earliest_offset": String(pipeline.log.earliestOffset), "segments": String(pipeline.log.segmentCount),
    "remembered_keys": String(pipeline.rememberedKeys.count), "index_bytes": String(pipeline.rememberedKeys.bytes),
    "elapsed": "\(ContinuousClock.now - started)",
])

let authentication: IngestAuthentication
if settings.authMode == "none" {
    host.logger.warning("DEVELOPMENT MODE: --auth-mode=none accepts every club without a key and checks no membership")
    authentication = .none
} else {
    var adminKey = ProcessInfo.processInfo.environment["FANHEAT_ADMIN_KEY"]
    if let path = configuration.value("admin-key-file") {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read --admin-key-file \(path)") }
        adminKey = text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let adminKey, !adminKey.isEmpty else {
        fail("the admin key (FANHEAT_ADMIN_KEY or --admin-key-file) is needed to watch memberships; or use --auth-mode=none for development")
    }
    let identity: HTTP2ClientChannel
    do { identity = try host.channel(forPeer: "identity") } catch {
        fail("\(error): give --identity-addr HOST:PORT or FANHEAT_IDENTITY_ADDR")
    }
    let directory = MembershipDirectory()
    let feed = MembershipFeed(channel: identity, adminKey: adminKey, directory: directory) { message in
        host.logger.info(message)
    }
    Task.detached { await feed.run() }
    let keys = ClubKeyCache(authority: IdentityKeyAuthority(channel: identity, adminKey: adminKey),
                            ttl: .seconds(settings.keyCacheSeconds))
    authentication = .identity(keys: keys, members: directory, adminKey: adminKey)
    host.metrics.addGauge("fanheat_ingest_membership_revision") { Double(directory.revision) }
}

let service = ActivityIngestService(pipeline: pipeline, authentication: authentication)
host.register(service)
host.addProtoFiles(GeneratedProtoFiles.all)
host.metrics.addGauge("fanheat_ingest_log_next_offset") { Double(pipeline.log.durableEnd) }
host.metrics.addGauge("fanheat_ingest_log_earliest_offset") { Double(pipeline.log.earliestOffset) }
host.metrics.addGauge("fanheat_ingest_log_bytes") { Double(pipeline.log.totalBytes) }
host.metrics.addGauge("fanheat_ingest_log_group_commits") { Double(pipeline.log.groupCommits) }
host.metrics.addGauge("fanheat_ingest_log_segment_preparation_failures") { Double(pipeline.log.segmentPreparationFailures) }
host.metrics.addGauge("fanheat_ingest_remembered_keys") { Double(pipeline.rememberedKeys.count) }
host.metrics.addGauge("fanheat_ingest_remembered_keys_bytes") { Double(pipeline.rememberedKeys.bytes) }
host.run()
