#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Minimal file reading and writing with POSIX calls.
enum FileIO {
    /// An I/O failure naming the path and errno.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The whole contents of `path`.
    static func read(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw Failure(description: "cannot open \(path): errno \(errno)") }
        defer { fclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        if ferror(file) != 0 { throw Failure(description: "cannot read \(path)") }
        return result
    }

    /// Writes `text` to `path`, replacing it.
    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "wb") else { throw Failure(description: "cannot create \(path): errno \(errno)") }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != bytes.count { throw Failure(description: "cannot write \(path)") }
    }

    /// Writes `text` to standard error.
    static func writeError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
