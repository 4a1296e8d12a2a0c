/// Terminal column widths of characters and strings: a simple wcwidth for layout and clipping.
///
/// East Asian wide and fullwidth characters and emoji take two columns, combining marks and
/// zero-width characters none, control characters are shown as one column (`Grid` writes them
/// as "?"). Good enough to keep wide text from breaking a layout; not a full UAX #11.
public enum TextWidth {
    /// Columns one character takes (0, 1 or 2).
    public static func of(_ c: Character) -> Int {
        guard let scalar = c.unicodeScalars.first else { return 0 }
        return of(scalar)
    }

    /// Columns one scalar takes when it starts a character.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return 1 }  // ASCII: the common case, without Unicode property lookups
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 1 }  // drawn as "?"
        if v == 0x200B || (0x200C...0x200F).contains(v) || v == 0x2060 || v == 0xFEFF { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return 0
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// Columns a string takes.
    public static func of(_ s: String) -> Int {
        // ASCII text (lines never hold "\r\n", the one two-byte ASCII character): a column a byte.
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.utf8.count }
        return s.reduce(0) { $0 + of($1) }
    }

    /// The longest prefix of `s` that fits in `width` columns; with `ellipsis`, a cut string ends in "…".
    public static func truncate(_ s: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if of(s) <= width { return s }
        let room = ellipsis ? width - 1 : width
        var out = ""
        var used = 0
        for c in s {
            let w = of(c)
            if used + w > room { break }
            out.append(c)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// `s` cut or padded with spaces to exactly `width` columns.
    public static func fit(_ s: String, _ width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(s, to: width)
        let pad = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? pad + cut : cut + pad
    }

    /// Splits `text` into lines of at most `width` columns, breaking at spaces where possible.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            while of(word) > width {  // a word longer than a line is cut
                if !line.isEmpty { lines.append(line); line = "" }
                let head = truncate(word, to: width, ellipsis: false)
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            if line.isEmpty {
                line = word
            } else if of(line) + 1 + of(word) <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
}
