import CCrypto

/// Random bytes from OpenSSL's CSPRNG (RAND_bytes, seeded from the operating system).
public enum SecureRandom {
    /// `count` cryptographically secure random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return output }
        let status = output.withUnsafeMutableBytes { buffer in
            RAND_bytes(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(buffer.count))
        }
        precondition(status == 1, "RAND_bytes failed: the system CSPRNG is unavailable")
        return output
    }
}
