import CNcurses
import Dashboard
import Glibc

/// Maps dashboard styles to curses attributes and colour pairs; under `NO_COLOR` only attributes.
///
/// Pairs are allocated on first use per (foreground, background) tone, over the terminal's
/// default colours.
final class Palette {
    let colors: Bool
    private var pairs: [Int: Int16] = [:]

    /// Starts colour when the terminal has it and `noColor` is false.
    init(noColor: Bool) {
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colors = true
        } else {
            colors = false
        }
    }

    /// Whether the environment asks for no colour (`NO_COLOR` set and not empty, see no-color.org).
    static func noColorRequested() -> Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    /// The attributes and pair for a style.
    func rendition(_ style: CellStyle) -> (attr_t, Int16) {
        var attrs = stk_a_normal()
        if style.bold { attrs |= stk_a_bold() }
        if style.reverse { attrs |= stk_a_reverse() }
        if style.dim || style.fg == .muted && !colors { attrs |= stk_a_dim() }
        guard colors else { return (attrs, 0) }
        return (attrs, pair(fg: style.fg, bg: style.bg))
    }

    private func pair(fg: Tone, bg: Tone) -> Int16 {
        guard fg != .plain || bg != .plain else { return 0 }
        let key = Self.index(fg) * 16 + Self.index(bg)
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        init_pair(number, Self.color(fg), Self.color(bg))
        pairs[key] = number
        return number
    }

    private static func index(_ tone: Tone) -> Int { Tone.allCases.firstIndex(of: tone) ?? 0 }

    /// The curses colour of a tone; -1 is the terminal's default.
    private static func color(_ tone: Tone) -> Int16 {
        switch tone {
        case .plain, .muted: return -1
        case .accent: return Int16(COLOR_CYAN)
        case .good: return Int16(COLOR_GREEN)
        case .warn: return Int16(COLOR_YELLOW)
        case .bad: return Int16(COLOR_RED)
        case .info: return Int16(COLOR_BLUE)
        }
    }
}
