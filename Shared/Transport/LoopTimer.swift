/// A one-shot timer on an event loop; cancelled timers never fire.
final class LoopTimer {
    /// When it fires, in monotonic nanoseconds.
    let deadline: UInt64
    /// What it runs; dropped by ``cancel()``, so an action may capture its owner strongly
    /// (the runtime avoids weak references to connections: a weak reference moves an
    /// object's reference counts to a side table and makes every retain and release slower).
    private(set) var action: (() -> Void)?
    /// Set by ``cancel()``.
    private(set) var cancelled = false
    /// The heap holding the timer while it is pending (nil once it fired or was cancelled).
    fileprivate unowned(unsafe) var heap: TimerHeapStorage?
    /// The timer's position in that heap.
    fileprivate var heapIndex = -1

    /// Creates a timer.
    init(deadline: UInt64, action: @escaping () -> Void) {
        self.deadline = deadline
        self.action = action
    }

    /// Prevents the timer from firing, releases its action and takes it out of its loop's
    /// heap at once (loop thread). Per-call deadline timers are almost always cancelled
    /// long before they are due; left in the heap until their deadline, a 30 s deadline at
    /// 70k calls/s kept two million dead timers there, and every insert and pop walked
    /// a 21-level heap of cache misses.
    func cancel() {
        cancelled = true
        action = nil
        if let heap, heapIndex >= 0 { heap.remove(at: heapIndex) }
    }
}

/// A binary min-heap of timers by deadline (loop thread only). A class so that a timer
/// can remove itself on cancellation; deadlines are kept next to the references, so
/// sifting compares without dereferencing timers.
final class TimerHeapStorage {
    private var items: [(deadline: UInt64, timer: LoopTimer)] = []

    deinit {
        // Timers may outlive their loop (a stream keeps its deadline timer).
        for item in items { item.timer.heap = nil }
    }

    /// The number of pending timers.
    var count: Int { items.count }

    /// The earliest deadline, if any timer is pending.
    var nextDeadline: UInt64? { items.first?.deadline }

    /// Adds a timer.
    func insert(_ timer: LoopTimer) {
        timer.heap = self
        items.append((timer.deadline, timer))
        siftUp(items.count - 1)
    }

    /// Removes the timer at `index`.
    fileprivate func remove(at index: Int) {
        let removed = items[index].timer
        removed.heap = nil
        removed.heapIndex = -1
        let last = items.removeLast()
        guard index < items.count else { return }
        items[index] = last
        last.timer.heapIndex = index
        if index > 0 && items[(index - 1) / 2].deadline > last.deadline {
            siftUp(index)
        } else {
            siftDown(index)
        }
    }

    /// Removes and returns every timer due at `now` (run them after this returns, so their
    /// actions may schedule new timers).
    func popDue(now: UInt64) -> [LoopTimer] {
        var due: [LoopTimer] = []
        while let first = items.first, first.deadline <= now {
            due.append(first.timer)
            remove(at: 0)
        }
        return due
    }

    private func siftUp(_ start: Int) {
        var child = start
        let moving = items[child]
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent].deadline <= moving.deadline { break }
            items[child] = items[parent]
            items[child].timer.heapIndex = child
            child = parent
        }
        items[child] = moving
        moving.timer.heapIndex = child
    }

    private func siftDown(_ start: Int) {
        var parent = start
        let moving = items[parent]
        let count = items.count
        while true {
            let left = parent * 2 + 1
            guard left < count else { break }
            let right = left + 1
            let smaller = right < count && items[right].deadline < items[left].deadline ? right : left
            if items[smaller].deadline >= moving.deadline { break }
            items[parent] = items[smaller]
            items[parent].timer.heapIndex = parent
            parent = smaller
        }
        items[parent] = moving
        moving.timer.heapIndex = parent
    }
}
