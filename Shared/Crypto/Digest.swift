import CCrypto

/// Message digests and message authentication codes computed by OpenSSL's libcrypto.
public enum Digest {
    /// The length in bytes of a SHA-256 digest.
    public static let sha256Length = 32

    /// The SHA-256 digest of `bytes` (EVP_Digest).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: sha256Length)
        var length: UInt32 = 0
        let succeeded = Array(bytes).withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                EVP_Digest(input.baseAddress, input.count,
                           out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length,
                           EVP_sha256(), nil) == 1
            }
        }
        precondition(succeeded && Int(length) == sha256Length, "EVP_Digest(SHA-256) failed")
        return output
    }

    /// The SHA-256 digest of the UTF-8 bytes of `text`.
    public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }

    /// HMAC-SHA-256 of `message` under `key` (EVP_Q_mac).
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: sha256Length)
        var length = 0
        let key = Array(key)
        let message = Array(message)
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                output.withUnsafeMutableBytes { out in
                    EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil,
                              keyBytes.baseAddress, keyBytes.count,
                              messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                              out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count, &length)
                }
            }
        }
        precondition(result != nil && length == sha256Length, "EVP_Q_mac(HMAC-SHA256) failed")
        return output
    }

    /// Compares two byte strings in time independent of where they differ (CRYPTO_memcmp).
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
