import XCTest
import Supervision
@testable import Runtime

/// The human lines of `stacktop up`, event by event.
final class HumanEventTextTests: XCTestCase {
    func testLaunchSequenceReadsAsLines() {
        var text = HumanEventText(kinds: ["app": "gunicorn", "front": "nginx", "sup": "supervisord"])
        let cases: [(StackEvent, String)] = [
            (StackEvent(tMs: 0, .stack(topology: "t", runDir: "/tmp/r", url: "http://127.0.0.1:1/")),
             "launching t in /tmp/r\n"),
            (StackEvent(tMs: 1, .starting(argv: ["/x"]), component: "sup", pid: 10), "starting sup (supervisord) ... "),
            (StackEvent(tMs: 2, .ready(afterMs: 480), component: "sup"), "ready in 480 ms\n"),
            (StackEvent(tMs: 3, .starting(argv: ["/v/bin/gunicorn"], launchedBy: "sup"), component: "app"),
             "waiting for app (gunicorn), started by sup ... "),
            (StackEvent(tMs: 4, .error(message: "app (gunicorn) exited with status 1 before it was ready",
                                       logTail: ["==> logs/app.log <==", "boom"]), component: "app"),
             "failed\nerror: app (gunicorn) exited with status 1 before it was ready\n  | ==> logs/app.log <==\n  | boom\n"),
            (StackEvent(tMs: 5, .stopped(clean: true, detail: "stopped in 12 ms")), "stopped cleanly: stopped in 12 ms\n"),
            (StackEvent(tMs: 6, .ready(afterMs: 7), component: "front"), "front (nginx) ready in 7 ms\n"),
            (StackEvent(tMs: 6, .ready(afterMs: 9, processes: [HostedProcess(pid: 41, argv: ["(wsgi:app)"]),
                                                               HostedProcess(pid: 42, argv: ["(wsgi:app)"])]),
                        component: "app"), "app (gunicorn) ready in 9 ms (pids 41, 42)\n"),
            (StackEvent(tMs: 7, .stopped(clean: false, detail: "x")), "stopped: x\n"),
            (StackEvent(tMs: 8, .health(hop: "a", answering: true, detail: "")), ""),
            (StackEvent(tMs: 9, .fault(action: "SIGKILL", detail: ""), component: "app", role: .worker, pid: 4242),
             "fault: SIGKILL app (gunicorn) worker pid 4242\n"),
            (StackEvent(tMs: 10, .fault(action: "SIGTERM", detail: "refused: pid 7 is gone"), component: "front", pid: 7),
             "fault: SIGTERM front (nginx) pid 7 — refused: pid 7 is gone\n"),
        ]
        for (event, expected) in cases {
            XCTAssertEqual(text.text(for: event), expected, event.typeName)
        }
    }

    func testAStopWhileALineIsOpenEndsTheLineFirst() {
        var text = HumanEventText(kinds: [:])
        XCTAssertEqual(text.text(for: StackEvent(tMs: 0, .starting(argv: ["/a"]), component: "a")), "starting a ... ")
        XCTAssertEqual(text.text(for: StackEvent(tMs: 1, .stopped(clean: true, detail: "d"))), "\nstopped cleanly: d\n")
    }
}
