import CNGHTTP2
import Glibc

/// The memory functions of one event loop's nghttp2 server sessions: blocks of up to
/// 4 KiB come from per-size-class free lists instead of malloc/free. nghttp2 allocates
/// about eight blocks per stream (stream state, header copies, outbound items) and frees
/// them when the stream closes; with many streams per loop turn glibc's per-thread cache
/// overflows and most of them take malloc's slow path.
///
/// Loop thread only: a session must be created, used and deleted on the loop that owns
/// the allocator (server connections are). Each block carries a 16-byte header with its
/// size class (and, for larger blocks, their size), so `free` and `realloc` need no size.
/// The callbacks work on raw memory only (no Swift reference counting per block).
final class SessionAllocator: @unchecked Sendable {
    /// Size classes 64 << 0 ... 64 << 6 (4 KiB).
    private static let classCount = 7
    private static let headerSize = 16
    private static let largeTag = UInt.max
    /// Bytes a size class may keep on its free list.
    private static let retainedBytesPerClass = 512 * 1024
    /// Free-list heads (`classCount` words), then free counts (`classCount` words).
    private let lists: UnsafeMutablePointer<UInt>

    /// Creates empty free lists.
    init() {
        lists = .allocate(capacity: 2 * Self.classCount)
        lists.initialize(repeating: 0, count: 2 * Self.classCount)
    }

    deinit {
        for sizeClass in 0..<Self.classCount {
            var block = UnsafeMutableRawPointer(bitPattern: lists[sizeClass])
            while let current = block {
                block = current.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)
                free(current)
            }
        }
        lists.deallocate()
    }

    /// The `nghttp2_mem` table pointing at this allocator's lists (nghttp2 copies it per
    /// session); the allocator must outlive the sessions (it lives as long as its loop).
    var memory: nghttp2_mem {
        nghttp2_mem(
            mem_user_data: UnsafeMutableRawPointer(lists),
            malloc: { size, lists in SessionAllocator.allocate(size, lists!.assumingMemoryBound(to: UInt.self)) },
            free: { pointer, lists in SessionAllocator.release(pointer, lists!.assumingMemoryBound(to: UInt.self)) },
            calloc: { count, size, lists in
                let total = count.multipliedReportingOverflow(by: size)
                guard !total.overflow,
                      let block = SessionAllocator.allocate(total.partialValue, lists!.assumingMemoryBound(to: UInt.self))
                else { return nil }
                memset(block, 0, total.partialValue)
                return block
            },
            realloc: { pointer, size, lists in
                SessionAllocator.reallocate(pointer, size, lists!.assumingMemoryBound(to: UInt.self))
            })
    }

    @inline(__always)
    private static func classSize(_ sizeClass: Int) -> Int { 64 << sizeClass }

    @inline(__always)
    private static func sizeClass(for size: Int) -> Int {
        let needed = size + headerSize
        if needed <= 64 { return 0 }
        return Int.bitWidth - (needed - 1).leadingZeroBitCount - 6
    }

    private static func allocate(_ size: Int, _ lists: UnsafeMutablePointer<UInt>) -> UnsafeMutableRawPointer? {
        let sizeClass = sizeClass(for: size)
        guard sizeClass < classCount else {
            guard let raw = malloc(size + headerSize) else { return nil }
            raw.storeBytes(of: largeTag, as: UInt.self)
            raw.storeBytes(of: size, toByteOffset: 8, as: Int.self)
            return raw + headerSize
        }
        let raw: UnsafeMutableRawPointer
        if let head = UnsafeMutableRawPointer(bitPattern: lists[sizeClass]) {
            lists[sizeClass] = UInt(bitPattern: head.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self))
            lists[classCount + sizeClass] -= 1
            raw = head
        } else {
            guard let fresh = malloc(classSize(sizeClass)) else { return nil }
            raw = fresh
        }
        raw.storeBytes(of: UInt(sizeClass), as: UInt.self)
        return raw + headerSize
    }

    private static func release(_ pointer: UnsafeMutableRawPointer?, _ lists: UnsafeMutablePointer<UInt>) {
        guard let pointer else { return }
        let raw = pointer - headerSize
        let tag = raw.load(as: UInt.self)
        guard tag != largeTag else {
            free(raw)
            return
        }
        let sizeClass = Int(tag)
        guard Int(lists[classCount + sizeClass]) * classSize(sizeClass) < retainedBytesPerClass else {
            free(raw)
            return
        }
        raw.storeBytes(of: UnsafeMutableRawPointer(bitPattern: lists[sizeClass]), toByteOffset: 8,
                       as: UnsafeMutableRawPointer?.self)
        lists[sizeClass] = UInt(bitPattern: raw)
        lists[classCount + sizeClass] += 1
    }

    private static func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int,
                                   _ lists: UnsafeMutablePointer<UInt>) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size, lists) }
        let raw = pointer - headerSize
        let tag = raw.load(as: UInt.self)
        let capacity = tag == largeTag ? raw.load(fromByteOffset: 8, as: Int.self) : classSize(Int(tag)) - headerSize
        if size <= capacity && tag != largeTag { return pointer }
        guard let moved = allocate(size, lists) else { return nil }
        moved.copyMemory(from: pointer, byteCount: min(capacity, size))
        release(pointer, lists)
        return moved
    }
}
