#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An I/O failure of the activity log, naming the operation, the path and the errno text.
public struct LogError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// Creates an error with a message.
    public init(_ description: String) { self.description = description }

    /// An error for a failed system call on `path`, with the current errno text.
    static func system(_ operation: String, path: String) -> LogError {
        let code = errno
        return LogError("\(operation) \(path): \(String(cString: strerror(code))) (errno \(code))")
    }
}

/// A thin owner of one open file descriptor: positional reads, appends, sync, truncate.
final class LogFile: @unchecked Sendable {
    /// The file's path.
    let path: String
    /// The open descriptor, closed on deinit.
    let descriptor: Int32

    /// Opens (creating if asked) `path` for reading and writing; with `direct`, writes
    /// bypass the page cache (`O_DIRECT`: aligned buffers, offsets and lengths only).
    init(path: String, create: Bool, direct: Bool = false) throws(LogError) {
        self.path = path
        var flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        #if os(Linux)
        if direct { flags |= 0o40000 /* O_DIRECT on x86-64 and arm64 Linux */ }
        #endif
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw LogError.system("open", path: path) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// The file's current size in bytes.
    func size() throws(LogError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LogError.system("fstat", path: path) }
        return Int(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at `position`; returns how many were read (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at position: Int) throws(LogError) -> Int {
        var done = 0
        while done < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(position + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw LogError.system("pread", path: path)
            }
            if result == 0 { break }
            done += result
        }
        return done
    }

    /// Reads up to `count` (default: `buffer.count`) bytes at `position` into the start of
    /// an array; returns how many were read.
    func read(into buffer: inout [UInt8], count: Int? = nil, at position: Int) throws(LogError) -> Int {
        let wanted = max(0, min(count ?? buffer.count, buffer.count))
        guard wanted > 0 else { return 0 }
        let result: Result<Int, LogError> = buffer.withUnsafeMutableBytes { raw in
            do throws(LogError) {
                return .success(try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted]), at: position))
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Writes all of `bytes` at `position`.
    func write(_ bytes: UnsafeRawBufferPointer, at position: Int) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw LogError.system("pwrite", path: path)
            }
            done += result
        }
    }

    /// Writes all of `bytes` at `position` followed by `padding` zero bytes (one
    /// `pwritev`), so that a write ending inside a page can cover the rest of that page.
    func write(_ bytes: UnsafeRawBufferPointer, zeroPadding padding: Int, at position: Int) throws(LogError) {
        guard padding > 0 else { return try write(bytes, at: position) }
        precondition(padding <= Self.zeros.count, "padding beyond one page")
        let total = bytes.count + padding
        let written: Int = withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { vectors in
            vectors[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
            vectors[1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: Self.zeros.baseAddress), iov_len: padding)
            while true {
                let result = pwritev(descriptor, vectors.baseAddress, 2, off_t(position))
                if result >= 0 || errno != EINTR { return result }
            }
        }
        guard written >= 0 else { throw LogError.system("pwritev", path: path) }
        if written < total {
            // A short write (rare): write what is left, the data first, then the zeros.
            if written < bytes.count {
                try write(UnsafeRawBufferPointer(rebasing: bytes[written...]), at: position + written)
            }
            let zerosDone = max(0, written - bytes.count)
            try write(UnsafeRawBufferPointer(rebasing: Self.zeros[0..<(padding - zerosDone)]),
                      at: position + max(written, bytes.count))
        }
    }

    /// One page of zeros for padding writes.
    nonisolated(unsafe) static let zeros = UnsafeRawBufferPointer(
        UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096).initializeMemory(as: UInt8.self, repeating: 0))

    /// Flushes written data (and the size) to stable storage.
    func syncData() throws(LogError) {
        #if canImport(Glibc)
        let result = fdatasync(descriptor)
        #else
        let result = fsync(descriptor)
        #endif
        guard result == 0 else { throw LogError.system("fdatasync", path: path) }
    }

    /// Cuts the file to `size` bytes.
    func truncate(to size: Int) throws(LogError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw LogError.system("ftruncate", path: path) }
    }

    /// Makes a directory's entries (created or removed files) durable.
    static func syncDirectory(_ path: String) throws(LogError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LogError.system("open", path: path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw LogError.system("fsync", path: path) }
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String) throws(LogError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw LogError.system("mkdir", path: current)
            }
        }
    }

    /// The names of the entries in directory `path`.
    static func listDirectory(_ path: String) throws(LogError) -> [String] {
        guard let directory = opendir(path) else { throw LogError.system("opendir", path: path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Renames `source` to `destination`, replacing a file already there.
    static func move(_ source: String, to destination: String) throws(LogError) {
        guard rename(source, destination) == 0 else { throw LogError.system("rename to \(destination)", path: source) }
    }

    /// Removes the file at `path`.
    static func remove(_ path: String) throws(LogError) {
        guard unlink(path) == 0 else { throw LogError.system("unlink", path: path) }
    }
}
