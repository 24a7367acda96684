extension ActivityLog {
    /// Opens every segment in order, checks each record's framing, checksum and offset,
    /// truncates a torn or corrupt tail of the last segment (and syncs it), rebuilds the
    /// sparse indexes and visits every record. Corruption before the last segment's tail
    /// is an error: those records were acknowledged and must not be dropped silently.
    static func recover(configuration: LogConfiguration, visit: (LogRecordView) -> Void) throws(LogError) -> [LogSegment] {
        let directory = configuration.directory
        try LogFile.makeDirectories(directory)
        SegmentPreparer.removeLeftover(in: directory)
        let bases = try LogFile.listDirectory(directory).compactMap(LogSegment.baseOffset(fileName:)).sorted()
        var segments: [LogSegment] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for (position, base) in bases.enumerated() {
            let isLast = position == bases.count - 1
            let file = try LogFile(path: directory + "/" + LogSegment.fileName(baseOffset: base), create: false)
            if let previous = segments.last, previous.endOffset != base {
                throw LogError("segment \(file.path) starts at offset \(base) but the previous one ends at \(previous.endOffset)")
            }
            let segment = LogSegment(file: file, baseOffset: base, endOffset: base, size: 0, newestIngestedAt: 0)
            let fileSize = try file.size()
            var filePosition = 0
            var problem: String?
            scan: while filePosition < fileSize {
                let read = try file.read(into: &buffer, at: filePosition)
                var consumed = 0
                var needed = 0
                buffer.withUnsafeBytes { raw in
                    let available = UnsafeRawBufferPointer(rebasing: raw[0..<read])
                    while consumed < read {
                        switch LogFrameParse.parse(UnsafeRawBufferPointer(rebasing: available[consumed...]), verify: true) {
                        case .record(let record, let size):
                            guard record.offset == segment.endOffset else {
                                problem = "record at byte \(filePosition + consumed) has offset \(record.offset), expected \(segment.endOffset)"
                                return
                            }
                            segment.noteRecord(offset: record.offset, position: filePosition + consumed, interval: configuration.indexIntervalBytes)
                            segment.endOffset += 1
                            segment.newestIngestedAt = record.ingestedAt
                            visit(record)
                            consumed += size
                        case .incomplete(let size):
                            needed = size
                            return
                        case .corrupt(let reason):
                            problem = "\(reason) at byte \(filePosition + consumed)"
                            return
                        }
                    }
                }
                filePosition += consumed
                if problem != nil { break scan }
                if consumed == 0 {
                    if filePosition + needed > fileSize {
                        problem = "torn record at byte \(filePosition) (needs \(needed) bytes, file has \(fileSize - filePosition))"
                        break scan
                    }
                    buffer = [UInt8](repeating: 0, count: max(buffer.count * 2, needed))
                }
            }
            if let problem {
                guard isLast else { throw LogError("\(file.path): \(problem); refusing to drop acknowledged records") }
                try file.truncate(to: filePosition)
                try file.syncData()
            } else if isLast {
                // Records written but not synced before a crash are kept; sync them now so
                // that acknowledging them later as duplicates is safe.
                try file.syncData()
            }
            segment.size = filePosition
            segments.append(segment)
        }
        if segments.isEmpty {
            let file = try LogFile(path: directory + "/" + LogSegment.fileName(baseOffset: 0), create: true)
            try LogFile.syncDirectory(directory)
            segments.append(LogSegment(file: file, baseOffset: 0, endOffset: 0, size: 0, newestIngestedAt: 0))
        }
        return segments
    }
}
