import CNGHTTP2
import Foundation
import Glibc
import Synchronization
import FanHeatSync

/// Receives readiness events for a file descriptor registered with an event loop.
protocol EventLoopHandler: AnyObject {
    /// Handles `events` (epoll flags); runs on the loop thread.
    func handleEvents(_ events: UInt32)
}

/// Writes buffered output once per loop turn.
protocol EventLoopFlushable: AnyObject {
    /// Generates and writes pending output; runs on the loop thread.
    func flushOutput()
}

/// epoll flag values (Linux ABI).
enum EpollFlags {
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let readHangUp: UInt32 = 0x2000
}

/// One epoll event loop on its own thread: readiness events, cross-thread tasks woken
/// through an eventfd, timers, and a flush phase at the end of every turn so each
/// connection writes its coalesced output once.
public final class EventLoop: @unchecked Sendable {
    /// The loop's position in its group.
    public let index: Int
    private let epollDescriptor: Int32
    private let wakeDescriptor: Int32
    private let tasks = AdaptiveLock<[@Sendable () -> Void]>([])
    private let wakePending = Atomic<Bool>(false)
    private let threadIdentifier = Atomic<UInt>(0)
    private let stopRequested = Atomic<Bool>(false)
    /// Nanoseconds spent blocked in `epoll_wait`, up to the last wake-up.
    private let idleTotal = Atomic<UInt64>(0)
    /// When the current wait in `epoll_wait` began; 0 while the loop runs.
    private let idleSince = Atomic<UInt64>(0)
    private var handlers: [Int32: any EventLoopHandler] = [:]
    private var flushQueue: [any EventLoopFlushable] = []
    let timers = TimerHeapStorage()
    /// A scratch buffer for socket reads, used only on the loop thread.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Memory for the nghttp2 server sessions of this loop (loop thread only).
    let sessionAllocator = SessionAllocator()

    /// Creates a loop; call ``start()`` to run it.
    init(index: Int) {
        self.index = index
        epollDescriptor = epoll_create1(Int32(O_CLOEXEC))
        wakeDescriptor = eventfd(0, Int32(O_NONBLOCK | O_CLOEXEC))
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        var event = epoll_event()
        event.events = EpollFlags.input
        event.data.fd = wakeDescriptor
        epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, wakeDescriptor, &event)
    }

    /// Starts the loop thread.
    func start() {
        let thread = Thread { [self] in
            threadIdentifier.store(UInt(pthread_self()), ordering: .releasing)
            run()
        }
        thread.name = "fanheat-loop-\(index)"
        thread.stackSize = 1 << 20
        thread.start()
        while threadIdentifier.load(ordering: .acquiring) == 0 { usleep(100) }
    }

    /// Nanoseconds this loop has spent waiting for events (blocked in `epoll_wait`) since
    /// it started, the current wait included; any thread may read it.
    public var idleNanoseconds: UInt64 {
        // The total first: a wake-up between the two loads then undercounts one wait
        // (never counts it twice).
        let total = idleTotal.load(ordering: .relaxed)
        let since = idleSince.load(ordering: .relaxed)
        guard since != 0 else { return total }
        let now = MonotonicClock.now
        return now > since ? total &+ (now - since) : total
    }

    /// Asks the loop to stop after its current turn.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool { threadIdentifier.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Runs `task` on the loop thread (soon, in order).
    public func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        wake()
    }

    private func wake() {
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            var one: UInt64 = 1
            _ = Glibc.write(wakeDescriptor, &one, 8)
        }
    }

    /// Registers `handler` for `events` on `descriptor` (loop thread).
    func register(_ descriptor: Int32, events: UInt32, handler: any EventLoopHandler) {
        handlers[descriptor] = handler
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        epoll_ctl(epollDescriptor, EPOLL_CTL_ADD, descriptor, &event)
    }

    /// Changes the events watched on `descriptor` (loop thread).
    func modify(_ descriptor: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        epoll_ctl(epollDescriptor, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Stops watching `descriptor` (loop thread); the caller closes it.
    func unregister(_ descriptor: Int32) {
        handlers[descriptor] = nil
        epoll_ctl(epollDescriptor, EPOLL_CTL_DEL, descriptor, nil)
    }

    /// Queues `target` for the flush phase of this turn (loop thread).
    func scheduleFlush(_ target: any EventLoopFlushable) {
        flushQueue.append(target)
    }

    /// Runs `action` on the loop thread after `delay` (loop thread); cancel through the result.
    @discardableResult
    func schedule(after delay: Duration, _ action: @escaping () -> Void) -> LoopTimer {
        let timer = LoopTimer(deadline: MonotonicClock.now + MonotonicClock.nanoseconds(delay), action: action)
        timers.insert(timer)
        return timer
    }

    private func run() {
        let capacity = 512
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        var batch: [@Sendable () -> Void] = []
        while !stopRequested.load(ordering: .acquiring) {
            var timeout: Int32 = -1
            if let deadline = timers.nextDeadline {
                let now = MonotonicClock.now
                timeout = deadline <= now ? 0 : Int32(min((deadline - now + 999_999) / 1_000_000, 60_000))
            }
            let count: Int32
            if timeout == 0 {
                count = epoll_wait(epollDescriptor, events, Int32(capacity), 0)
            } else {
                let waitStart = MonotonicClock.now
                idleSince.store(waitStart, ordering: .relaxed)
                count = epoll_wait(epollDescriptor, events, Int32(capacity), timeout)
                idleSince.store(0, ordering: .relaxed)
                idleTotal.add(MonotonicClock.now &- waitStart, ordering: .relaxed)
            }
            if count > 0 {
                for position in 0..<Int(count) {
                    let event = events[position]
                    let descriptor = event.data.fd
                    if descriptor == wakeDescriptor {
                        var value: UInt64 = 0
                        _ = Glibc.read(wakeDescriptor, &value, 8)
                        continue
                    }
                    handlers[descriptor]?.handleEvents(event.events)
                }
            }
            if wakePending.load(ordering: .acquiring) {
                wakePending.store(false, ordering: .releasing)
                tasks.withLock { swap(&$0, &batch) }
                for task in batch { task() }
                batch.removeAll(keepingCapacity: true)
            }
            if timers.nextDeadline != nil {
                for timer in timers.popDue(now: MonotonicClock.now) where !timer.cancelled { timer.action?() }
            }
            while !flushQueue.isEmpty {
                let queue = flushQueue
                flushQueue.removeAll(keepingCapacity: true)
                for target in queue { target.flushOutput() }
            }
        }
        events.deallocate()
    }
}
