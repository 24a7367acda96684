import Dispatch
import FanHeatRuntime
import Foundation
import IdentityCore
import Synchronization

/// Serving until SIGTERM/SIGINT: on the first signal the membership feeds end with
/// UNAVAILABLE (clients resume with `from_revision`), then the host drains and the
/// process exits 0; a second signal exits at once with status 1.
enum IdentityLifecycle {
    static func run(host: ServiceHost, store: IdentityStore) -> Never {
        let stop = DispatchSemaphore(value: 0)
        let signals = Atomic<Int>(0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if signals.add(1, ordering: .relaxed).newValue == 1 {
                    host.logger.info("signal received; shutting down", ["signal": String(signalNumber)])
                    stop.signal()
                } else {
                    host.logger.warning("second signal; exiting now")
                    exit(1)
                }
            }
            source.resume()
            sources.append(source)
        }
        do { try host.start() } catch {
            host.logger.error("startup failed: \(error.description)")
            exit(2)
        }
        stop.wait()
        store.notifier.close()
        host.shutdown(grace: host.configuration.shutdownGrace)
        host.logger.info("stopped")
        withExtendedLifetime(sources) {}
        exit(0)
    }
}
