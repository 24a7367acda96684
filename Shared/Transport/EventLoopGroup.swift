import Glibc
import Synchronization

/// A set of event loops, one per core by default; connections are spread across them.
public final class EventLoopGroup: Sendable {
    /// The loops.
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    /// Creates and starts `count` loops (default: `FANHEAT_EVENT_LOOPS`, else one per online core).
    public init(loopCount count: Int = EventLoopGroup.defaultLoopCount) {
        loops = (0..<max(1, count)).map { EventLoop(index: $0) }
        for loop in loops { loop.start() }
    }

    /// The number of online cores.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The loop count of groups created without one: the environment variable
    /// `FANHEAT_EVENT_LOOPS` (1–256) when set, else one loop per online core.
    public static var defaultLoopCount: Int {
        if let text = getenv("FANHEAT_EVENT_LOOPS").map({ String(cString: $0) }), let count = Int(text), (1...256).contains(count) {
            return count
        }
        return coreCount
    }

    /// The next loop, round robin.
    public func next() -> EventLoop {
        loops[nextIndex.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Nanoseconds all loops together have spent waiting for events (see
    /// ``EventLoop/idleNanoseconds``); with the loop count and a clock, the share of time
    /// the loops were busy.
    public var idleNanoseconds: UInt64 { loops.reduce(0) { $0 &+ $1.idleNanoseconds } }

    /// Stops every loop.
    public func shutdown() {
        for loop in loops { loop.stop() }
    }

    /// A process-wide group, created on first use.
    public static let shared = EventLoopGroup()
}
