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

    /// Creates a timer.
    init(deadline: UInt64, action: @escaping () -> Void) {
        self.deadline = deadline
        self.action = action
    }

    /// Prevents the timer from firing and releases its action (loop thread).
    func cancel() {
        cancelled = true
        action = nil
    }
}

/// A binary min-heap of timers by deadline.
struct TimerHeap {
    private var items: [LoopTimer] = []

    /// The earliest deadline, if any timer is pending.
    var nextDeadline: UInt64? { items.first?.deadline }

    /// Adds a timer.
    mutating func insert(_ timer: LoopTimer) {
        items.append(timer)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent].deadline <= items[child].deadline { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func popFirst() -> LoopTimer {
        let first = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = parent * 2 + 1, right = left + 1
                var smallest = parent
                if left < items.count && items[left].deadline < items[smallest].deadline { smallest = left }
                if right < items.count && items[right].deadline < items[smallest].deadline { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }

    /// Removes and returns every timer due at `now` (run them after this returns, so their
    /// actions may schedule new timers).
    mutating func popDue(now: UInt64) -> [LoopTimer] {
        var due: [LoopTimer] = []
        while let first = items.first, first.deadline <= now { due.append(popFirst()) }
        return due
    }
}
