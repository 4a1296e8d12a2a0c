import XCTest
@testable import Supervision

/// The servers' own log lines a drill report quotes for its failures.
final class FailureExplanationTests: XCTestCase {
    func testPicksMarkedLinesPerComponentWithoutRepeats() {
        let apache =
            "[Fri Dec 04 16:49:09 2026] [mpm_event:notice] [pid 1486] AH00493: SIGUSR1 received.  Doing graceful restart"
        let logs: [(component: String, lines: [String])] = [
            (
                "front",
                [
                    "2026/12/04 16:39:51 [notice] 1#1: signal process started",
                    "2026/12/04 16:39:51 [error] 18292#18292: *518 connect() to unix:/run/app.sock failed (11: Resource temporarily unavailable)",
                    "2026/12/04 16:39:51 [error] 18292#18292: *520 connect() to unix:/run/app.sock failed (11: Resource temporarily unavailable)",
                    "2026/12/04 16:39:52 [error] 1#1: *9 upstream prematurely closed connection",
                    "2026/12/04 16:39:53 [error] 1#1: *10 recv() failed (104: Connection reset by peer)",
                ]
            ),
            ("apache", [apache]),
            ("app", [apache, "[INFO] Handling signal: hup"]),
            (
                "supervisor",
                ["2026-12-04 16:26:34,163 INFO waiting for app to stop", "INFO stopped: app (exit status 0)"]
            ),
        ]
        let lines = FailureExplanation.lines(in: logs)
        XCTAssertEqual(
            lines,
            [
                "front: 2026/12/04 16:39:51 [error] 18292#18292: *518 connect() to unix:/run/app.sock failed (11: Resource temporarily unavailable)",
                "front: 2026/12/04 16:39:52 [error] 1#1: *9 upstream prematurely closed connection",
                "apache: " + apache,
                "app: [INFO] Handling signal: hup",
                "supervisor: 2026-12-04 16:26:34,163 INFO waiting for app to stop",
                "supervisor: INFO stopped: app (exit status 0)",
            ])
        XCTAssertEqual(FailureExplanation.lines(in: logs, limit: 2).count, 2)
        XCTAssertEqual(
            FailureExplanation.lines(in: [("x", [String(repeating: "a", count: 300) + " SIGKILL"])]).first?.count,
            "x: ".count + 200)
    }
}
