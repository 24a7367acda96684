import FanHeatRPC

/// Who is calling, from the `authorization: Bearer …` metadata.
public enum CallerCredentials: Sendable, Equatable {
    /// No usable credentials.
    case missing(String)
    /// A bearer secret (a club API key or the admin key).
    case bearer(String)

    /// Reads the caller's credentials from request metadata.
    public init(_ metadata: Metadata) {
        guard let value = metadata.firstString(forKey: "authorization") else {
            self = .missing("missing authorization metadata (expected \"Bearer <club API key>\")")
            return
        }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            self = .missing("authorization metadata is not \"Bearer <club API key>\"")
            return
        }
        self = .bearer(String(parts[1]).trimmingSpaces())
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}

/// Compares two secrets in time independent of where they differ.
func secretsEqual(_ lhs: String, _ rhs: String) -> Bool {
    let left = Array(lhs.utf8)
    let right = Array(rhs.utf8)
    var difference = left.count ^ right.count
    for index in 0..<max(left.count, right.count) {
        let a = index < left.count ? left[index] : 0
        let b = index < right.count ? right[index] : 0
        difference |= Int(a ^ b)
    }
    return difference == 0
}
