import Glibc
import Synchronization

/// A set of event loops, one per core by default; connections are spread across them.
public final class EventLoopGroup: Sendable {
    /// The loops.
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Creates and starts `count` loops (default: one per online core).
    public init(loopCount count: Int = EventLoopGroup.coreCount) {
        loops = (0..<max(1, count)).map { EventLoop(index: $0) }
        for loop in loops { loop.start() }
    }

    /// The number of online cores.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The next loop, round robin.
    public func next() -> EventLoop {
        loops[nextIndex.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Stops every loop.
    public func shutdown() {
        for loop in loops { loop.stop() }
    }

    /// A process-wide group, created on first use.
    public static let shared = EventLoopGroup()
}
