import Dashboard
import Glibc
import XCTest
@testable import Terminal

/// A curses session on a pseudo-terminal: it draws a grid's text, decodes typed keys, and
/// notices the terminal going away without a SIGHUP instead of reading in a tight loop.
final class TerminalSessionTests: XCTestCase {
    private func session(on pty: PseudoTerminal) throws -> TerminalSession {
        try TerminalSession(input: pty.terminal, output: pty.terminal, term: "xterm-256color", inputTimeoutMs: 50)
    }

    func testHangUpIsSeenOnlyAfterTheFarSideCloses() throws {
        let pty = try XCTUnwrap(PseudoTerminal(width: 40, height: 12), "no pseudo-terminals here")
        XCTAssertFalse(TerminalSession.hungUp(pty.terminal), "an open terminal with no input")
        pty.type("x")
        XCTAssertFalse(TerminalSession.hungUp(pty.terminal), "an open terminal with input waiting")
        pty.hangUp()
        XCTAssertTrue(TerminalSession.hungUp(pty.terminal), "the far side closed")
        let closed = open("/dev/null", O_RDONLY)
        close(closed)
        XCTAssertTrue(TerminalSession.hungUp(closed), "not an open descriptor (POLLNVAL)")
    }

    func testDrawsAGridAndDecodesTypedKeys() throws {
        let pty = try XCTUnwrap(PseudoTerminal(width: 40, height: 12), "no pseudo-terminals here")
        let session = try session(on: pty)
        defer { session.close() }
        XCTAssertEqual(session.size.width, 40)
        XCTAssertEqual(session.size.height, 12)
        _ = pty.drain()
        var grid = Grid(width: 40, height: 12)
        _ = grid.text("stacktop on a pty", row: 2, col: 3)
        XCTAssertTrue(session.draw(grid), "a new grid is sent")
        XCTAssertTrue(pty.drain().contains("stacktop on a pty"))
        XCTAssertFalse(session.draw(grid), "the same grid again sends nothing")

        pty.type("q")
        XCTAssertEqual(session.read(), .key(.char("q")))
        pty.type("\u{1B}OA")  // xterm's up arrow in keypad-transmit mode (curses turned it on)
        XCTAssertEqual(session.read(), .key(.up))
        XCTAssertNil(session.read(), "nothing typed: a timeout")
        XCTAssertFalse(session.isGone)
    }

    func testAVanishedTerminalIsReportedGoneAtTheFirstFailedRead() throws {
        let pty = try XCTUnwrap(PseudoTerminal(width: 40, height: 12), "no pseudo-terminals here")
        let session = try session(on: pty)
        defer { session.close() }
        _ = pty.drain()
        pty.hangUp()
        let start = ContinuousClock.now
        XCTAssertNil(session.read())
        XCTAssertTrue(session.isGone, "ERR on a hung-up terminal")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
    }
}
