import Dashboard
import Foundation
import Glibc
import Synchronization
import XCTest
@testable import Terminal

/// The dashboard loop on a pseudo-terminal that vanishes without a SIGHUP: it stops reading,
/// asks the wiring to stop the stack (like SIGHUP) and returns once the wiring closes the inbox,
/// instead of spinning on failed reads.
final class DashboardLoopTests: XCTestCase {
    func testATerminalThatVanishesWithoutSIGHUPStopsTheStack() throws {
        let pty = try XCTUnwrap(PseudoTerminal(width: 80, height: 24), "no pseudo-terminals here")
        let session = try TerminalSession(
            input: pty.terminal, output: pty.terminal, term: "xterm-256color",
            inputTimeoutMs: 50)
        let inbox = DashboardInbox()
        let commands = Mutex<[Command]>([])
        let loop = DashboardLoop(
            state: DashboardState(), inbox: inbox, clock: { 0 },
            perform: { command in
                commands.withLock { $0.append(command) }
                if command == .quit { inbox.close() }  // the wiring: stop the stack, then close
            })
        // Drains what the loop draws, then hangs up after a few frames; a loop that never
        // notices is ended by closing its inbox after 10 s (and fails below).
        let finished = DispatchSemaphore(value: 0)
        defer { finished.signal() }
        Thread.detachNewThread {
            _ = pty.drain(waitingMs: 300)
            pty.hangUp()
            if finished.wait(timeout: .now() + 10) == .timedOut { inbox.close() }
        }
        let start = ContinuousClock.now
        let exit = loop.run(on: session)
        XCTAssertEqual(exit, .quit, "the hang-up asked for a quit")
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
        XCTAssertEqual(commands.withLock { $0 }.filter { $0 == .quit }.count, 1)
        XCTAssertTrue(loop.state.quitting)
        XCTAssertTrue(
            loop.state.timeline.entries.contains { $0.text.contains("terminal hang-up") },
            "the timeline says why")
    }
}
