/// Accumulates generated Swift source with indentation.
struct SourceBuilder {
    /// The text so far.
    private(set) var text = ""
    private var indentation = 0

    /// Appends one line at the current indentation (an empty line stays empty).
    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: indentation) + content + "\n"
        }
    }

    /// Appends `opening`, runs `body` one level deeper, then appends `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout SourceBuilder) -> Void) {
        line(opening)
        indentation += 1
        body(&self)
        indentation -= 1
        line(closing)
    }

    /// Appends a `switch` whose `case` lines stay at the switch's own indentation (Swift style).
    mutating func switchBlock(_ opening: String, _ body: (inout SourceBuilder) -> Void) {
        line(opening)
        body(&self)
        line("}")
    }

    /// Runs `body` one level deeper.
    mutating func indented(_ body: (inout SourceBuilder) -> Void) {
        indentation += 1
        body(&self)
        indentation -= 1
    }
}
