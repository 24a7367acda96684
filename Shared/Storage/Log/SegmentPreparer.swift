#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prepares the log's next segment file ahead of time on a background thread: a file of
/// `segmentBytes` zeros, synced, so that group commits overwrite blocks the file already
/// owns instead of growing it.
///
/// Why: `fdatasync` on a file that grew must also write the inode (its size changed) and
/// the block allocation, a second synchronous disk round trip per group commit. On this
/// project's benchmark machine (ext4), 128 KiB `pwrite` + `fdatasync` ran at 1,100–1,350
/// commits/s appending and 3,200–3,550 commits/s overwriting a zeroed file; a file
/// reserved with `fallocate` (unwritten extents, converted on write) managed 1,800–2,100.
/// The zeros bypass the page cache; the writer pads its writes to whole pages, because a
/// write into an uncached page that it covers only in part reads that page from disk
/// first, which cost as much as the gain in a probe.
///
/// The file is prepared under a temporary name (``temporaryName``) and renamed into place
/// by the writer when it rolls; a crash leaves at most that file, which the next open
/// deletes.
final class SegmentPreparer: @unchecked Sendable {
    /// The name of the file being prepared, inside the log directory.
    static let temporaryName = "next-segment.prepared"

    /// A thread runs exactly while the state is `preparing` or `closing`.
    private enum State {
        case idle
        case preparing
        case ready(LogFile)
        case closing
        case closed
    }

    private let directory: String
    /// The size of a prepared file: the segment size rounded up to whole 4 KiB pages.
    let bytes: Int
    private let lock = ConditionLock()
    private var state = State.idle
    private let report: (@Sendable (String) -> Void)?
    /// Preparations that failed since the log was opened.
    private var failures = 0

    /// Creates a preparer of `bytes`-byte files in `directory` (nothing starts yet) that
    /// tells `report` why a preparation failed.
    init(directory: String, bytes: Int, report: (@Sendable (String) -> Void)? = nil) {
        self.directory = directory
        self.report = report
        self.bytes = (max(bytes, 1) + 4095) & ~4095
    }

    /// The path of the file being prepared.
    var temporaryPath: String { directory + "/" + Self.temporaryName }

    /// Deletes a prepared file a crash or an earlier run left behind.
    static func removeLeftover(in directory: String) {
        unlink(directory + "/" + temporaryName)
    }

    /// Starts preparing a file on a background thread, unless one is being prepared or
    /// waiting to be taken.
    func prepare() {
        let start: Bool = lock.withLock {
            guard case .idle = state else { return false }
            state = .preparing
            return true
        }
        guard start else { return }
        // Nice 10: the zero-filling must keep pace with ingest (a 128 MiB segment every
        // second or less under load) but never competes with the event loops and the
        // writer for the CPU.
        DetachedThread(priority: .reduced) { [self] in run() }.start()
    }

    /// Preparations that failed since the log was opened (read under the lock).
    var failureCount: Int { lock.withLock { failures } }

    /// Whether a prepared file is waiting to be taken.
    var isReady: Bool {
        lock.withLock { if case .ready = state { true } else { false } }
    }

    /// The prepared file (still under ``temporaryPath``) if one is ready; the caller
    /// renames it into place, then calls ``prepare()`` for the next one.
    func take() -> LogFile? {
        lock.withLock {
            guard case .ready(let file) = state else { return nil }
            state = .idle
            return file
        }
    }

    /// Stops a preparation in progress (within one chunk) and waits for its thread. The
    /// unfinished file is deleted; a ready, unused one stays until the next open removes it.
    func close() {
        lock.lock()
        if case .preparing = state { state = .closing } else if case .closing = state {} else { state = .closed }
        while case .closing = state { lock.wait() }
        lock.unlock()
    }

    private var isStopping: Bool {
        lock.withLock { if case .closing = state { true } else { false } }
    }

    private func run() {
        var file: LogFile?
        do throws(LogError) {
            file = try fill()
        } catch {
            lock.withLock { failures += 1 }
            report?("preparing the next log segment failed (the log goes on with growing segments): \(error.description)")
        }
        if file == nil {
            // Failed (a full disk, say) or stopped: give the space back; the writer goes on
            // with growing segments, and the next roll tries again.
            unlink(temporaryPath)
        }
        lock.withLock {
            switch state {
            case .preparing: state = file.map { .ready($0) } ?? .idle
            default: state = .closed  // closing: close() waits for this
            }
            lock.signal()
        }
    }

    /// Writes the zeros in 1 MiB calls, syncing every 2 MiB so that no single flush the
    /// writer's group commit queues behind is large. Returns nil when closing.
    ///
    /// The zeros go straight to the disk (`O_DIRECT`, where the file system supports it):
    /// through the page cache they cost 2–4× the CPU, and a fifth of the ingest process's
    /// CPU at batch 100. The writer pads each write to a page boundary (see
    /// `ActivityLog.write`), so it never has to read one of these pages back first.
    private func fill() throws(LogError) -> LogFile? {
        let path = temporaryPath
        unlink(path)
        let file: LogFile
        do throws(LogError) {
            file = try LogFile(path: path, create: true, direct: true)
        } catch {
            // tmpfs and some other file systems refuse O_DIRECT.
            file = try LogFile(path: path, create: true)
        }
        let chunk = 1 << 20
        let zeros = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0)
        var position = 0
        while position < bytes {
            if isStopping { return nil }
            let length = min(chunk, bytes - position)
            try file.write(UnsafeRawBufferPointer(rebasing: zeros[0..<length]), at: position)
            position += length
            if position % (2 << 20) == 0 || position == bytes { try file.syncData() }
        }
        return file
    }
}
