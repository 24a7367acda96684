import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum framing every log
/// record. A checksum against torn and corrupted writes, not a cryptographic digest.
///
/// On x86-64 CPUs with SSE4.2 it uses the CRC32 instruction (8 bytes per instruction, the
/// header-only `CCRC32C` shim); elsewhere a slicing-by-8 table implementation
/// (``portableUpdate(_:_:)``). Both give identical results (tested).
public enum CRC32C {
    /// Whether the CRC32 instruction is used (decided once per process, by the shim: a
    /// lazily initialised Swift global here cost a `swift_once` call per checksum).
    public static var usesHardware: Bool { fanheat_crc32c_hardware_enabled() != 0 }

    /// Eight 256-entry tables: table k maps a byte to its CRC contribution k bytes later.
    private static let tables: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            table[byte] = crc
        }
        for byte in 0..<256 {
            var crc = table[byte]
            for slice in 1..<8 {
                crc = table[Int(crc & 0xFF)] ^ (crc >> 8)
                table[slice * 256 + byte] = crc
            }
        }
        return table
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// Continues `crc` (a finished CRC-32C of earlier bytes) over `bytes`.
    @inline(__always)
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        if usesHardware { return fanheat_crc32c_hardware_update(crc, base, bytes.count) }
        return portableUpdate(crc, bytes)
    }

    /// Continues `crc` over `bytes` with the slicing-by-8 tables (no CPU feature needed).
    public static func portableUpdate(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        var state = ~crc
        var position = 0
        let count = bytes.count
        tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            while count - position >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                    ^ UInt64(state)
                let low = UInt32(truncatingIfNeeded: word)
                let high = UInt32(truncatingIfNeeded: word &>> 32)
                state = t[7 * 256 + Int(low & 0xFF)]
                    ^ t[6 * 256 + Int((low &>> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((low &>> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(low &>> 24)]
                    ^ t[3 * 256 + Int(high & 0xFF)]
                    ^ t[2 * 256 + Int((high &>> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((high &>> 16) & 0xFF)]
                    ^ t[Int(high &>> 24)]
                position &+= 8
            }
            while position < count {
                let byte = base.load(fromByteOffset: position, as: UInt8.self)
                state = t[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state &>> 8)
                position &+= 1
            }
        }
        return ~state
    }
}
