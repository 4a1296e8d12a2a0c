/// The look of one cell: a colour role for the text and the background, and attributes.
///
/// Colours are roles, not terminal colours: the terminal maps them (or drops them under
/// `NO_COLOR`, keeping bold, reverse and dim).
public struct CellStyle: Sendable, Hashable {
    public var fg: Tone
    public var bg: Tone
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(fg: Tone = .plain, bg: Tone = .plain, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = CellStyle()
    public static let muted = CellStyle(fg: .muted, dim: true)
    public static let title = CellStyle(fg: .accent, bold: true)
    public static let bar = CellStyle(reverse: true)
    public static let selected = CellStyle(reverse: true)

    /// The same style with `fg` replaced.
    public func with(fg tone: Tone) -> CellStyle {
        var s = self
        s.fg = tone
        return s
    }

    /// The same style, bold.
    public var emphasized: CellStyle {
        var s = self
        s.bold = true
        return s
    }

    /// A short readable description, for snapshot legends ("good bold", "plain reverse").
    public var label: String {
        var parts = [fg.rawValue]
        if bg != .plain { parts.append("on-\(bg.rawValue)") }
        if bold { parts.append("bold") }
        if reverse { parts.append("reverse") }
        if dim { parts.append("dim") }
        return parts.joined(separator: " ")
    }
}

/// A colour role: what a colour means, mapped to a terminal colour by `Terminal`.
public enum Tone: String, Sendable, Hashable, CaseIterable {
    /// The terminal's default colour.
    case plain
    /// Secondary text: labels, disabled keys, non-runnable stacks.
    case muted
    /// Titles, keys, the front-door URL.
    case accent
    /// Healthy: up, answering, 2xx.
    case good
    /// Degraded: starting, restarting, orphaned, 4xx, stopped by SIGSTOP.
    case warn
    /// Broken: down, crash-looping, not answering, 5xx, errors.
    case bad
    /// Traffic numbers and sparklines.
    case info
}

/// How healthy a thing is, and the tone that shows it.
public enum Health: Int, Sendable, Comparable {
    case unknown, good, degraded, bad

    public static func < (a: Health, b: Health) -> Bool { a.rawValue < b.rawValue }

    public var tone: Tone {
        switch self {
        case .unknown: return .muted
        case .good: return .good
        case .degraded: return .warn
        case .bad: return .bad
        }
    }
}
