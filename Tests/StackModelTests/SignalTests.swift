import StackModel
import XCTest

/// Signal names and numbers, once: parsing names and numbers, the names messages use, and the
/// drill's narrower list (no SIGPIPE to send, no STOP/CONT by name).
final class SignalTests: XCTestCase {
    func testNamesAndNumbersAreLinuxs() {
        let cases: [(Signal, Int32, String, String)] = [
            (.hup, 1, "SIGHUP", "HUP"), (.int, 2, "SIGINT", "INT"), (.quit, 3, "SIGQUIT", "QUIT"),
            (.abrt, 6, "SIGABRT", "ABRT"), (.kill, 9, "SIGKILL", "KILL"), (.usr1, 10, "SIGUSR1", "USR1"),
            (.segv, 11, "SIGSEGV", "SEGV"), (.usr2, 12, "SIGUSR2", "USR2"), (.pipe, 13, "SIGPIPE", "PIPE"),
            (.term, 15, "SIGTERM", "TERM"), (.cont, 18, "SIGCONT", "CONT"), (.stop, 19, "SIGSTOP", "STOP"),
            (.winch, 28, "SIGWINCH", "WINCH"),
        ]
        for (signal, number, name, short) in cases {
            XCTAssertEqual(signal.number, number, name)
            XCTAssertEqual(signal.name, name)
            XCTAssertEqual(signal.shortName, short)
            XCTAssertEqual(Signal(number), signal)
        }
        XCTAssertEqual(Signal.named.count, cases.count)
        XCTAssertEqual(Signal(42).name, "signal 42")
        XCTAssertEqual(Signal(42).shortName, "42")
    }

    func testParsing() {
        let cases: [(String, Signal?)] = [
            ("KILL", .kill), ("SIGTERM", .term), ("sigterm", .term), ("term", .term), ("15", .term),
            ("9", .kill), ("PIPE", .pipe), ("STOP", .stop), ("42", nil), ("SIGNOPE", nil), ("", nil), ("SIG", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(Signal(parsing: text), expected, text)
        }
    }

    func testDrillSignalsAreANarrowerListOfTheSameNumbers() {
        XCTAssertEqual(DrillSignal.number("KILL"), 9)
        XCTAssertEqual(DrillSignal.number("sigusr1"), 10)
        XCTAssertNil(DrillSignal.number("STOP"), "stop-worker sends STOP itself")
        XCTAssertNil(DrillSignal.number("CONT"))
        XCTAssertEqual(DrillSignal.anyNumber("STOP"), 19)
        XCTAssertNil(DrillSignal.anyNumber("PIPE"), "not a signal a drill sends")
        XCTAssertEqual(DrillSignal.name(DrillSignal.term), "SIGTERM")
        XCTAssertEqual(
            DrillSignal.usableNames, ["HUP", "INT", "QUIT", "ABRT", "KILL", "USR1", "SEGV", "USR2", "TERM", "WINCH"])
    }
}
