extension ActivityLog {
    /// Why a read could not start.
    public enum ReadFailure: Error, Sendable, Equatable {
        /// The offset was deleted by retention; `earliest` is the first one retained.
        case beforeRetention(earliest: UInt64)
        /// The offset is beyond the end of the log.
        case beyondEnd(end: UInt64)
    }

    /// Checks that reading from `offset` is possible now.
    public func checkReadable(from offset: UInt64) -> ReadFailure? {
        let earliest = earliestOffset
        if offset < earliest { return .beforeRetention(earliest: earliest) }
        let end = durableEnd
        if offset > end { return .beyondEnd(end: end) }
        return nil
    }

    /// Visits durable records from `offset` in order, at most `maxCount` of them and
    /// stopping after the record that reaches `maxBytes` of payload; returns how many it
    /// visited (0 when `offset` is at the durable end). Throws ``ReadFailure`` (as a
    /// `LogError` description) when `offset` was deleted by retention.
    public func read(
        from offset: UInt64, maxCount: Int, maxBytes: Int, visit: (LogRecordView) -> Void
    ) throws(LogError) -> Int {
        let end = durableEnd
        guard offset < end else { return 0 }
        let limit = Int(min(UInt64(maxCount), end - offset))
        var visited = 0
        var bytes = 0
        var wanted = offset
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        while visited < limit {
            // The segment's written size bounds the read: a prepared segment's file is
            // longer (zeros) than what was written into it.
            let located: (LogSegment, Int, Int)? = segmentLock.withLock { _ in
                guard let segment = segments.last(where: { $0.baseOffset <= wanted }), wanted < segment.endOffset || segment === segments.last else { return nil }
                return (segment, segment.indexedPosition(atOrBefore: wanted).position, segment.size)
            }
            guard let (segment, start, written) = located else {
                throw LogError("offset \(wanted) is no longer retained (earliest is \(earliestOffset))")
            }
            var position = start
            var segmentDone = false
            while visited < limit && !segmentDone {
                let read = try segment.file.read(into: &buffer, count: min(buffer.count, written - position), at: position)
                if read == 0 { segmentDone = true; break }
                var consumed = 0
                var needed = 0
                buffer.withUnsafeBytes { raw in
                    let available = UnsafeRawBufferPointer(rebasing: raw[0..<read])
                    while visited < limit && consumed < read {
                        guard case .record(let record, let size) = LogFrameParse.parse(
                            UnsafeRawBufferPointer(rebasing: available[consumed...]), verify: false)
                        else {
                            if case .incomplete(let size) = LogFrameParse.parse(UnsafeRawBufferPointer(rebasing: available[consumed...]), verify: false) {
                                needed = size
                            }
                            return
                        }
                        consumed += size
                        if record.offset < wanted { continue }
                        visit(record)
                        visited += 1
                        wanted = record.offset + 1
                        bytes += record.payload.count
                        if bytes >= maxBytes { return }
                    }
                }
                if bytes >= maxBytes { return visited }
                position += consumed
                if consumed == 0 {
                    if needed > buffer.count {
                        buffer = [UInt8](repeating: 0, count: needed)
                    } else {
                        segmentDone = true
                    }
                }
            }
            if visited < limit {
                let next = segmentLock.withLock { _ in segments.first(where: { $0.baseOffset > segment.baseOffset }) }
                guard next != nil else { break }
            }
        }
        return visited
    }
}
