#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FanHeatSync

extension ActivityLog {
    /// Starts the group-commit writer thread.
    func startWriter() {
        let thread = DetachedThread { [self] in writerLoop() }
        thread.start()
    }

    /// Takes everything pending, writes it, syncs once, then completes the covered waiters.
    /// A commit that would start less than `minimumCommitInterval` after the previous one
    /// (when that one wrote at least `commitIntervalMinimumBytes`) first waits out the
    /// rest, gathering the calls that arrive meanwhile.
    /// Waiters whose records an earlier commit already made durable (a call that
    /// registered just after the writer took its records) are answered before this
    /// commit's write, not one whole commit later.
    private func writerLoop() {
        var batch = PendingBytes(capacity: 1 << 20)
        var waiters: [DurabilityWaiter] = []
        waiters.reserveCapacity(1024)
        var lastRetention = clock()
        var trimmer = PageCacheTrimmer(keepBytes: configuration.pageCacheBytes)
        let interval = MonotonicClock.nanoseconds(configuration.minimumCommitInterval)
        let busyBytes = configuration.commitIntervalMinimumBytes
        var lastCommitStart: UInt64?
        var lastCommitBytes = 0
        while true {
            appendLock.lock()
            while pending.isEmpty && pendingWaiters.isEmpty && !closing { appendLock.wait() }
            if let lastCommitStart, lastCommitBytes >= busyBytes, lastCommitStart + interval > MonotonicClock.now,
               !pending.isEmpty && !closing && failure == nil {
                let gatherUntil = lastCommitStart + interval
                // Gather: wait out the interval so that calls arriving meanwhile share this
                // commit (close() cuts the wait short), but first answer the waiters an
                // earlier commit already covered.
                let covered = takeCoveredWaiters()
                if !covered.isEmpty {
                    appendLock.unlock()
                    for waiter in covered { waiter.completion(nil) }
                    appendLock.lock()
                }
                while !closing && MonotonicClock.now < gatherUntil {
                    appendLock.wait(untilMonotonic: gatherUntil)
                }
            }
            if pending.isEmpty && pendingWaiters.isEmpty && closing {
                writerFinished = true
                appendLock.signal()
                appendLock.unlock()
                return
            }
            swap(&batch, &pending)
            swap(&waiters, &pendingWaiters)
            let firstOffset = pendingFirstOffset
            let end = nextOffset
            let stopped = failure
            appendLock.unlock()

            var error = stopped
            let alreadyDurable = durable.load(ordering: .acquiring)
            if error == nil {
                for waiter in waiters where waiter.end <= alreadyDurable { waiter.completion(nil) }
            }
            if error == nil && !batch.isEmpty {
                lastCommitStart = MonotonicClock.now
                lastCommitBytes = batch.count
                do throws(LogError) {
                    let (file, position) = try batch.withUnsafeBytes { (bytes) throws(LogError) in
                        try write(bytes, firstOffset: firstOffset, end: end)
                    }
                    trimmer.noteSynced(file, from: position, to: position + batch.count)
                    durable.store(end, ordering: .releasing)
                    syncs.add(1, ordering: .relaxed)
                } catch let writeError {
                    error = writeError
                }
            }
            batch.removeAll(keepingCapacity: true)
            if let error {
                // Nothing acknowledged after a failed write or sync: the log stops and every
                // pending and later call fails; a restart recovers from what is on disk.
                appendLock.lock()
                failure = error
                let stranded = pendingWaiters
                pendingWaiters = []
                pending.removeAll(keepingCapacity: false)
                appendLock.unlock()
                for waiter in waiters where stopped != nil || waiter.end > alreadyDurable { waiter.completion(error) }
                for waiter in stranded { waiter.completion(error) }
                waiters.removeAll(keepingCapacity: true)
                continue
            }
            for waiter in waiters where waiter.end > alreadyDurable { waiter.completion(nil) }
            waiters.removeAll(keepingCapacity: true)
            wakeTailWaiters(force: false)
            let now = clock()
            if now - lastRetention >= 1000 {
                lastRetention = now
                applyRetention(now: now)
            }
        }
    }

    /// Removes and returns the pending waiters whose records are already durable; call
    /// with `appendLock` held.
    private func takeCoveredWaiters() -> [DurabilityWaiter] {
        let durableEnd = durable.load(ordering: .acquiring)
        guard pendingWaiters.contains(where: { $0.end <= durableEnd }) else { return [] }
        let covered = pendingWaiters.filter { $0.end <= durableEnd }
        pendingWaiters.removeAll { $0.end <= durableEnd }
        return covered
    }

    /// Writes `batch` (records `firstOffset..<end`) to the active segment, rolling first
    /// if the segment is full, and syncs it. Returns the file and the position written at.
    private func write(_ batch: UnsafeRawBufferPointer, firstOffset: UInt64, end endOffset: UInt64) throws(LogError) -> (LogFile, Int) {
        var active = segmentLock.withLock { _ in segments.last! }
        if active.size >= configuration.segmentBytes && active.size > 0 {
            active = try roll(from: active, baseOffset: firstOffset)
        } else if active.preparedBytes == 0, let preparer, preparer.isReady {
            // The active segment grows with every commit (a fresh log's first segment, or
            // the last one after a restart): move to the prepared file now.
            active = try roll(from: active, baseOffset: firstOffset)
        }
        let startPosition = active.size
        let end = startPosition + batch.count
        // Inside a prepared (zero-filled, uncached) file, cover the rest of the last page
        // with zeros, so the kernel never reads that page from disk to merge the write.
        let padding = end < active.preparedBytes ? min((4096 - end % 4096) % 4096, active.preparedBytes - end) : 0
        try active.file.write(batch, zeroPadding: padding, at: startPosition)
        try active.file.syncData()
        // Index the new records and note the newest ingested-at.
        let interval = configuration.indexIntervalBytes
        segmentLock.withLock { _ in
            var position = 0
            var newest = active.newestIngestedAt
            while position + LogRecordFormat.headerSize <= batch.count {
                let length = Int(UInt32(littleEndian: batch.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                let offset = UInt64(littleEndian: batch.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self))
                newest = Int64(littleEndian: batch.loadUnaligned(fromByteOffset: position + 16, as: Int64.self))
                active.noteRecord(offset: offset, position: startPosition + position, interval: interval)
                position += LogRecordFormat.headerSize + length
            }
            active.newestIngestedAt = newest
            active.size = startPosition + batch.count
            active.endOffset = endOffset
        }
        return (active.file, startPosition)
    }

    /// Starts a new segment at `baseOffset` and makes its directory entry durable: the
    /// prepared file when one is ready (it replaces the active segment if that is still
    /// empty), else a new empty file. Asks the preparer for the next one.
    private func roll(from previous: LogSegment, baseOffset: UInt64) throws(LogError) -> LogSegment {
        if previous.size > 0 && previous.preparedBytes > previous.size {
            // A prepared file is longer than what was written into it (the segment size is
            // not a multiple of 4 KiB): cut the zeros before any later segment exists, as
            // recovery accepts a zero tail only in the last segment.
            try previous.file.truncate(to: previous.size)
            try previous.file.syncData()
            previous.preparedBytes = previous.size
        }
        let path = configuration.directory + "/" + LogSegment.fileName(baseOffset: baseOffset)
        let segment: LogSegment
        if let prepared = preparer?.take() {
            try LogFile.move(prepared.path, to: path)
            try LogFile.syncDirectory(configuration.directory)
            segment = LogSegment(file: try LogFile(path: path, create: false), baseOffset: baseOffset,
                                 endOffset: baseOffset, size: 0, newestIngestedAt: 0)
            segment.preparedBytes = preparer?.bytes ?? 0
        } else {
            let file = try LogFile(path: path, create: true)
            try LogFile.syncDirectory(configuration.directory)
            segment = LogSegment(file: file, baseOffset: baseOffset, endOffset: baseOffset, size: 0, newestIngestedAt: 0)
        }
        preparer?.prepare()
        segmentLock.withLock { _ in
            if let last = segments.last, last.size == 0, last.baseOffset == baseOffset {
                // The rename replaced the empty active segment's file.
                segments[segments.count - 1] = segment
            } else {
                segments.append(segment)
            }
        }
        return segment
    }

    /// Deletes whole old segments beyond the age or size limits (never the active one).
    func applyRetention(now: Int64) {
        let removed: [LogSegment] = segmentLock.withLock { _ in
            var removed: [LogSegment] = []
            var total = segments.reduce(0) { $0 + $1.size }
            while segments.count > 1 {
                let oldest = segments[0]
                let tooOld = configuration.retentionMilliseconds.map { oldest.newestIngestedAt < now - $0 } ?? false
                let tooBig = configuration.retentionBytes.map { total > $0 } ?? false
                guard tooOld || tooBig else { break }
                total -= oldest.size
                removed.append(segments.removeFirst())
            }
            if !removed.isEmpty { earliest.store(segments[0].baseOffset, ordering: .releasing) }
            return removed
        }
        for segment in removed {
            try? LogFile.remove(segment.file.path)
        }
        if !removed.isEmpty { try? LogFile.syncDirectory(configuration.directory) }
    }
}
