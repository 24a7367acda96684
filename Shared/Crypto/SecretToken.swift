/// A bearer secret of the form `<prefix><id>_<random>`: the id (16 hex digits) names the
/// stored record, the random part (32 bytes from the CSPRNG, base64url) is the secret.
///
/// Only the SHA-256 digest of the whole secret is stored. A pepper or slow hash adds nothing
/// here: the secret carries 256 bits of entropy, so its digest cannot be brute-forced, and
/// a plain digest keeps verification a single fast hash.
public struct SecretToken: Sendable, Hashable {
    /// The record id embedded in the secret (16 lower-case hex digits).
    public let id: String
    /// The full secret text, shown to its owner once.
    public let secret: String

    /// Creates a fresh secret with `prefix` (e.g. `fh_live_`).
    public static func generate(prefix: String) -> SecretToken {
        let id = TextEncoding.hex(SecureRandom.bytes(count: 8))
        let random = TextEncoding.base64URL(SecureRandom.bytes(count: 32))
        return SecretToken(id: id, secret: prefix + id + "_" + random)
    }

    /// Splits a presented secret into its id; `nil` if it is not shaped like one of `prefix`.
    public static func parse(_ secret: String, prefix: String) -> SecretToken? {
        guard secret.hasPrefix(prefix) else { return nil }
        let rest = secret.dropFirst(prefix.count)
        guard rest.count == 16 + 1 + 43 else { return nil }
        let id = rest.prefix(16)
        let random = rest.dropFirst(17)
        guard rest.dropFirst(16).first == "_", TextEncoding.bytes(fromHex: String(id)) != nil,
              TextEncoding.isBase64URL(random) else { return nil }
        return SecretToken(id: String(id), secret: secret)
    }

    /// The digest stored in place of the secret.
    public var digest: [UInt8] { Digest.sha256(secret) }

    private init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}
