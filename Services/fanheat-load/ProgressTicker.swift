import Dispatch
import Foundation
import Synchronization

/// Prints the live progress line to stderr once a second.
final class ProgressTicker: @unchecked Sendable {
    private let timer: any DispatchSourceTimer
    private let last = Mutex<Double>(0)

    init(driver: LoadDriver, statistics: LoadStatistics) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [self] in
            let elapsed = driver.elapsedSeconds
            let interval = statistics.takeInterval()
            let previous = last.withLock { value in
                defer { value = elapsed }
                return value
            }
            let line = LoadReport.progressLine(elapsed: elapsed, interval: interval, seconds: max(elapsed - previous, 0.001),
                                               total: statistics.total)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func start() { timer.resume() }

    func stop() { timer.cancel() }
}
