@preconcurrency import CNcurses
import Dashboard
import XCTest
@testable import Terminal

/// Styles become curses attributes and colour pairs on a real (pseudo-)terminal; under
/// NO_COLOR only attributes, and muted text is dimmed instead of greyed.
final class PaletteTests: XCTestCase {
    func testStylesBecomeAttributesAndOnePairPerToneCombination() throws {
        let pty = try XCTUnwrap(PseudoTerminal(width: 40, height: 12), "no pseudo-terminals here")
        let session = try TerminalSession(
            input: pty.terminal, output: pty.terminal, term: "xterm-256color",
            inputTimeoutMs: 50)
        defer { session.close() }

        let plain = Palette(noColor: true)
        XCTAssertFalse(plain.colors)
        XCTAssertEqual(plain.rendition(.plain).1, 0)
        XCTAssertNotEqual(plain.rendition(.title).0 & stk_a_bold(), 0, "bold")
        XCTAssertNotEqual(plain.rendition(.bar).0 & stk_a_reverse(), 0, "reverse")
        XCTAssertNotEqual(plain.rendition(CellStyle(fg: .muted)).0 & stk_a_dim(), 0, "muted without colour is dim")
        XCTAssertEqual(plain.rendition(CellStyle(fg: .bad)).1, 0, "no pairs under NO_COLOR")

        let colored = Palette(noColor: false)
        XCTAssertTrue(colored.colors, "xterm-256color has colours")
        XCTAssertEqual(colored.rendition(.plain).1, 0, "plain on plain: the terminal's default pair")
        XCTAssertEqual(colored.rendition(CellStyle(fg: .muted)).0 & stk_a_dim(), 0, "muted is a colour here, not dim")
        let bad = colored.rendition(CellStyle(fg: .bad)).1
        let good = colored.rendition(CellStyle(fg: .good)).1
        XCTAssertGreaterThan(bad, 0)
        XCTAssertNotEqual(bad, good)
        XCTAssertEqual(colored.rendition(CellStyle(fg: .bad, bold: true)).1, bad, "one pair per tone combination")
    }
}
