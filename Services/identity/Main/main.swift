import Dispatch
import FanHeatContracts
import FanHeatRuntime
import Foundation
import IdentityCore

// The identity service: clubs, API keys, members, member tokens and the membership feed.
let host = ServiceHost.fromCommandLine(HostSpecification(
    name: "identity",
    options: [
        HostOption("admin-key-file", help: "file holding the admin key (default: the FANHEAT_ADMIN_KEY variable)"),
        HostOption("rejoin-grace-seconds", help: "rejoin grace period for clubs that set none", defaultValue: "7776000"),
        HostOption("token-ttl-seconds", help: "member token lifetime when a request gives none", defaultValue: "3600"),
    ],
    summary: "FanHeat identity: clubs, API keys, members and memberships, member tokens, membership feed (SQLite)"))

let settings: IdentitySettings
do {
    settings = try IdentitySettings(configuration: host.configuration, environment: ProcessInfo.processInfo.environment)
} catch {
    host.logger.error("invalid configuration: \(error)")
    FileHandle.standardError.write(Data("identity: \(error)\n".utf8))
    exit(2)
}
if settings.adminKey == nil {
    host.logger.warning("no admin key configured (FANHEAT_ADMIN_KEY or --admin-key-file): only club API keys are accepted")
}

let store: IdentityStore
do {
    store = try IdentityStore(configuration: settings.storeConfiguration)
} catch {
    host.logger.error("cannot open the identity database: \(error)", ["path": settings.storeConfiguration.databasePath])
    FileHandle.standardError.write(Data("identity: cannot open \(settings.storeConfiguration.databasePath): \(error)\n".utf8))
    exit(2)
}
host.logger.info("identity database open", ["path": settings.storeConfiguration.databasePath,
                                             "head_revision": String(store.notifier.latest)])
host.register(IdentityServiceProvider(store: store))
host.addProtoFiles(GeneratedProtoFiles.all)
IdentityLifecycle.run(host: host, store: store)
