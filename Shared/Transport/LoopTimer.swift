/// A one-shot timer on an event loop; cancelled timers never fire.
final class LoopTimer {
    /// When it fires, in monotonic nanoseconds.
    let deadline: UInt64
    /// What it runs.
    let action: () -> Void
    /// Set by ``cancel()``.
    private(set) var cancelled = false

    /// Creates a timer.
    init(deadline: UInt64, action: @escaping () -> Void) {
        self.deadline = deadline
        self.action = action
    }

    /// Prevents the timer from firing (loop thread).
    func cancel() { cancelled = true }
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

    /// Removes and returns every timer due at `now`, earliest first. The caller runs them
    /// after this returns, so an action may schedule new timers without overlapping access.
    mutating func popDue(now: UInt64) -> [LoopTimer] {
        var due: [LoopTimer] = []
        while let first = items.first, first.deadline <= now { due.append(popFirst()) }
        return due
    }
}
