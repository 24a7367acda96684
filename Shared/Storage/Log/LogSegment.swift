/// One segment file of the log: `<base offset, 20 digits>.log`, holding records
/// `baseOffset..<endOffset`. Mutable fields are guarded by the log's segment lock.
final class LogSegment: @unchecked Sendable {
    /// The file.
    let file: LogFile
    /// The offset of the first record the segment holds (or will hold).
    let baseOffset: UInt64
    /// The offset after the last record written.
    var endOffset: UInt64
    /// Bytes written.
    var size: Int
    /// Bytes of the file that were zero-filled before use (0: the file grows as it is
    /// written). Writes below this overwrite blocks the file already owns.
    var preparedBytes = 0
    /// When the newest record was appended (Unix ms), for retention by age.
    var newestIngestedAt: Int64
    /// Sparse index: (offset, file position) pairs, ascending, one every index interval.
    var index: [(offset: UInt64, position: Int)] = []
    /// The file position of the last index entry.
    var lastIndexedPosition = -1

    /// Wraps an open file.
    init(file: LogFile, baseOffset: UInt64, endOffset: UInt64, size: Int, newestIngestedAt: Int64) {
        self.file = file
        self.baseOffset = baseOffset
        self.endOffset = endOffset
        self.size = size
        self.newestIngestedAt = newestIngestedAt
    }

    /// The file name for a segment starting at `baseOffset`.
    static func fileName(baseOffset: UInt64) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    /// The base offset named by a segment file name, or nil for other files.
    static func baseOffset(fileName: String) -> UInt64? {
        guard fileName.hasSuffix(".log"), fileName.count == 24 else { return nil }
        return UInt64(fileName.dropLast(4))
    }

    /// Notes a record at `position` in the sparse index if the interval has passed.
    func noteRecord(offset: UInt64, position: Int, interval: Int) {
        if lastIndexedPosition < 0 || position - lastIndexedPosition >= interval {
            index.append((offset, position))
            lastIndexedPosition = position
        }
    }

    /// The file position of the indexed record at or before `offset`.
    func indexedPosition(atOrBefore offset: UInt64) -> (offset: UInt64, position: Int) {
        var low = 0
        var high = index.count - 1
        var best: (offset: UInt64, position: Int) = (baseOffset, 0)
        while low <= high {
            let middle = (low + high) / 2
            if index[middle].offset <= offset {
                best = index[middle]
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best
    }
}
