@preconcurrency import CNcurses
import Dashboard
import Glibc
import Runtime

/// One curses session on the controlling terminal: set up, draw grids, read input, restore.
///
/// Not thread-safe, like ncurses itself: create, use and close it on one thread. `close()` (also
/// run by `deinit`) restores the terminal and may be called more than once.
public final class TerminalSession {
    /// Why the terminal cannot be used.
    public enum Failure: Error, CustomStringConvertible {
        case notATerminal
        case cannotStart(term: String)

        public var description: String {
            switch self {
            case .notATerminal: return "standard input and output must be a terminal"
            case let .cannotStart(term): return "cannot start curses on this terminal (TERM=\(term))"
            }
        }
    }

    private let screen: OpaquePointer
    /// curses' stream on standard output: flushed on close, so the restored screen is on the
    /// terminal before anything the program writes next.
    private let output: UnsafeMutablePointer<FILE>
    private let window: UnsafeMutablePointer<WINDOW>
    private let palette: Palette
    private var previous: Grid?
    private var closed = false
    /// The descriptor curses reads from: polled for a hang-up when a read fails.
    private let inputFd: Int32
    /// Whether left clicks are reported.
    public let hasMouse: Bool
    /// Whether the terminal went away (hung up, closed): reads then fail at once, forever, so
    /// the caller stops reading and drawing. Also without a SIGHUP (a terminal that was not
    /// the controlling one, a closed pseudo-terminal).
    public private(set) var isGone = false

    /// Starts curses on standard input and output: UTF-8 locale, signal handlers first,
    /// cbreak/noecho/keypad, input timeout, mouse.
    public convenience init(inputTimeoutMs: Int32 = 100) throws {
        guard isatty(0) != 0, isatty(1) != 0 else { throw Failure.notATerminal }
        try self.init(input: 0, output: 1, term: nil, inputTimeoutMs: inputTimeoutMs)
    }

    /// Starts curses on the terminal open at `input` and `output` (`term`: the terminal type,
    /// nil for $TERM). Tests pass a pseudo-terminal here.
    init(input: Int32, output: Int32, term: String?, inputTimeoutMs: Int32) throws {
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_ALL, "C.UTF-8")
        }
        SignalCatcher.install()
        guard let outputFile = fdopen(output, "w"), let inputFile = fdopen(input, "r"),
            let screen = newterm(term, outputFile, inputFile), let window = stk_stdscr()
        else {
            throw Failure.cannotStart(term: term ?? getenv("TERM").map { String(cString: $0) } ?? "unset")
        }
        self.screen = screen
        self.output = outputFile
        self.window = window
        self.inputFd = input
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        wtimeout(window, inputTimeoutMs)
        set_escdelay(25)
        curs_set(0)
        palette = Palette(noColor: Palette.noColorRequested())
        let wanted = stk_button1_pressed() | stk_button1_clicked()
        hasMouse = mousemask(wanted, nil) != 0
        mouseinterval(0)
    }

    deinit { close() }

    /// Restores the terminal (endwin); safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        delscreen(screen)
        fflush(output)
    }

    /// The terminal's columns and rows now.
    public var size: (width: Int, height: Int) {
        (Int(stk_maxx(window)), Int(stk_maxy(window)))
    }

    /// Draws `grid`, writing only the cells that changed since the last draw (rows equal to the
    /// last draw's are skipped whole); curses then sends only the difference to the terminal.
    /// Returns whether anything was sent (false: the screen already showed `grid`).
    @discardableResult
    public func draw(_ grid: Grid) -> Bool {
        let (width, height) = size
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(window) }
        let cells = grid.cells
        let old = full ? nil : previous?.cells
        var changed = full
        for row in 0..<min(grid.height, height) {
            let start = row * grid.width
            if let old, old[start..<start + grid.width] == cells[start..<start + grid.width] { continue }
            for col in 0..<min(grid.width, width) {
                let i = start + col
                let cell = cells[i]
                if cell.isContinuation { continue }
                if let old, old[i] == cell,
                    col + 1 >= grid.width || old[i + 1].isContinuation == cells[i + 1].isContinuation
                {
                    continue
                }
                put(cell, row: Int32(row), col: Int32(col))
                changed = true
            }
        }
        if changed {
            wnoutrefresh(window)
            doupdate()
        }
        previous = grid
        return changed
    }

    /// Forgets what is on screen, so the next draw repaints everything.
    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    private func put(_ cell: Cell, row: Int32, col: Int32) {
        var (attrs, pair) = palette.rendition(cell.style)
        var chars: [wchar_t] = cell.char.unicodeScalars.prefix(5).map { wchar_t(bitPattern: $0.value) } + [0]
        if let glyph = Glyphs.wacs(for: cell.char) {
            // The terminal's own line-drawing character (Unicode in UTF-8, ACS otherwise).
            var glyphAttrs: attr_t = 0
            var glyphPair: Int16 = 0
            chars = [wchar_t](repeating: 0, count: 8)
            getcchar(glyph, &chars, &glyphAttrs, &glyphPair, nil)
            attrs |= glyphAttrs
        }
        var cc = cchar_t()
        setcchar(&cc, chars, attrs, pair, nil)
        mvwadd_wch(window, row, col, &cc)
    }

    /// Waits up to the input timeout for one input; nil on timeout, an input the dashboard
    /// ignores, or a terminal that went away (then `isGone` is true).
    public func read() -> Message? {
        var wch: wint_t = 0
        switch wget_wch(window, &wch) {
        case OK:
            return KeyDecoder.character(wch)
        case KEY_CODE_YES:
            let code = Int32(bitPattern: wch)
            if code == KEY_RESIZE {
                invalidate()
                let (width, height) = size
                return .resize(width: width, height: height)
            }
            if code == KEY_MOUSE {
                var event = MEVENT()
                guard getmouse(&event) == OK,
                    event.bstate & (stk_button1_pressed() | stk_button1_clicked()) != 0
                else { return nil }
                return .click(row: Int(event.y), col: Int(event.x))
            }
            return KeyDecoder.functionKey(code)
        default:
            // ERR: a timeout, or a terminal that is gone (then every read fails at once).
            if Self.hungUp(inputFd) { isGone = true }
            return nil
        }
    }

    /// Whether `fd` reports a hang-up, an error or is not open (POLLHUP, POLLERR, POLLNVAL),
    /// without waiting.
    static func hungUp(_ fd: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return false }
        return entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }
}

/// The line-drawing characters the views use, mapped to curses' own glyphs.
enum Glyphs {
    static func wacs(for char: Character) -> UnsafePointer<cchar_t>? {
        switch char {
        case "─": return stk_wacs_hline()
        case "│": return stk_wacs_vline()
        case "┌": return stk_wacs_ulcorner()
        case "┐": return stk_wacs_urcorner()
        case "└": return stk_wacs_llcorner()
        case "┘": return stk_wacs_lrcorner()
        case "├": return stk_wacs_ltee()
        case "┤": return stk_wacs_rtee()
        case "┬": return stk_wacs_ttee()
        case "┴": return stk_wacs_btee()
        case "┼": return stk_wacs_plus()
        default: return nil
        }
    }
}
