extension ActivityLog {
    /// Waits until a record at or after `offset` is durable (returns at once if one is),
    /// or the task is cancelled, or the log closes.
    public func waitForRecords(from offset: UInt64) async {
        if durableEnd > offset { return }
        let identifier = tailWaiters.withLock { waiters -> Int in
            waiters.nextIdentifier += 1
            return waiters.nextIdentifier
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = tailWaiters.withLock { waiters -> Bool in
                    if durableEnd > offset || Task.isCancelled || closedForTail { return true }
                    waiters.waiting[identifier] = (offset, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = tailWaiters.withLock { $0.waiting.removeValue(forKey: identifier)?.continuation }
            continuation?.resume()
        }
    }

    /// Whether the log was closed (tail waiters then return at once).
    var closedForTail: Bool { appendLock.withLock { closing } }

    /// Resumes tail waiters that new durable records (or closing, if `force`) satisfy.
    func wakeTailWaiters(force: Bool) {
        let end = durableEnd
        let ready: [CheckedContinuation<Void, Never>] = tailWaiters.withLock { waiters in
            guard !waiters.waiting.isEmpty else { return [] }
            var ready: [CheckedContinuation<Void, Never>] = []
            for (identifier, waiter) in waiters.waiting where force || end > waiter.after {
                ready.append(waiter.continuation)
                waiters.waiting.removeValue(forKey: identifier)
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }
}
