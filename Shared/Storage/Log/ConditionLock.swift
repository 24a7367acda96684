#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FanHeatSync

/// A pthread mutex with a condition variable, for the log's writer thread handshake.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    /// Creates an unlocked lock.
    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        #if canImport(Glibc)
        // Timed waits measure against the monotonic clock (wall-clock steps do not stretch them).
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        #else
        pthread_cond_init(condition, nil)
        #endif
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Acquires the lock.
    func lock() { pthread_mutex_lock(mutex) }

    /// Releases the lock.
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Waits for a signal; the lock must be held.
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits for a signal or until the monotonic clock reaches `deadline` (nanoseconds, as
    /// `MonotonicClock.now`), whichever comes first; the lock must be held. Like
    /// ``wait()``, it may also return early without either.
    func wait(untilMonotonic deadline: UInt64) {
        #if canImport(Glibc)
        var spec = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        #else
        let now = MonotonicClock.now
        let remaining = deadline > now ? Int64(deadline - now) : 0
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let target = Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec) + remaining
        var spec = timespec(tv_sec: Int(target / 1_000_000_000), tv_nsec: Int(target % 1_000_000_000))
        #endif
        pthread_cond_timedwait(condition, mutex, &spec)
    }

    /// Wakes one waiter.
    func signal() { pthread_cond_signal(condition) }

    /// Runs `body` holding the lock.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
