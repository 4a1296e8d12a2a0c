/// A key press as the dashboard sees it, decoded by the terminal from curses key codes.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace
    /// A function key F1…F12.
    case function(Int)

    /// How the key is written in the footer and the help overlay.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case let .char(c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case let .function(n): return "F\(n)"
        }
    }
}
