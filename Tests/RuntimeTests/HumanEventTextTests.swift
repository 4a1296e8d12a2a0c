import XCTest
import Supervision
@testable import Runtime

/// The human lines of `stacktop up`, event by event.
final class HumanEventTextTests: XCTestCase {
    func testLaunchSequenceReadsAsLines() {
        var text = HumanEventText(kinds: ["app": "gunicorn", "front": "nginx", "sup": "supervisord"])
        let cases: [(StackEvent, String)] = [
            (
                StackEvent(tMs: 0, .stack(topology: "t", runDir: "/tmp/r", url: "http://127.0.0.1:1/")),
                "launching t in /tmp/r\n"
            ),
            (StackEvent(tMs: 1, .starting(argv: ["/x"]), component: "sup", pid: 10), "starting sup (supervisord) ... "),
            (StackEvent(tMs: 2, .ready(afterMs: 480), component: "sup"), "ready in 480 ms\n"),
            (
                StackEvent(tMs: 3, .starting(argv: ["/v/bin/gunicorn"], launchedBy: "sup"), component: "app"),
                "waiting for app (gunicorn), started by sup ... "
            ),
            (
                StackEvent(
                    tMs: 4,
                    .error(
                        message: "app (gunicorn) exited with status 1 before it was ready",
                        logTail: ["==> logs/app.log <==", "boom"]), component: "app"),
                "failed\nerror: app (gunicorn) exited with status 1 before it was ready\n  | ==> logs/app.log <==\n  | boom\n"
            ),
            (
                StackEvent(tMs: 5, .stopped(clean: true, detail: "stopped in 12 ms")),
                "stopped cleanly: stopped in 12 ms\n"
            ),
            (StackEvent(tMs: 6, .ready(afterMs: 7), component: "front"), "front (nginx) ready in 7 ms\n"),
            (
                StackEvent(
                    tMs: 6,
                    .ready(
                        afterMs: 9,
                        processes: [
                            HostedProcess(pid: 41, argv: ["(wsgi:app)"]),
                            HostedProcess(pid: 42, argv: ["(wsgi:app)"]),
                        ]),
                    component: "app"), "app (gunicorn) ready in 9 ms (pids 41, 42)\n"
            ),
            (StackEvent(tMs: 7, .stopped(clean: false, detail: "x")), "stopped: x\n"),
            (StackEvent(tMs: 8, .health(hop: "a", answering: true, detail: "")), "a answering\n"),
            (
                StackEvent(tMs: 9, .fault(action: "SIGKILL", detail: ""), component: "app", role: .worker, pid: 4242),
                "SIGKILL → app worker 4242\n"
            ),
            (
                StackEvent(
                    tMs: 10, .fault(action: "SIGTERM", detail: "refused: pid 7 is gone"), component: "front", pid: 7),
                "SIGTERM → front 7 (refused: pid 7 is gone)\n"
            ),
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

    /// What happens to processes and hops while the stack runs, in `EventText`'s words (the
    /// timeline's too).
    func testRunningStackEventsReadAsLines() {
        var text = HumanEventText(kinds: ["app": "gunicorn", "front": "nginx"])
        let cases: [(StackEvent, String)] = [
            (
                StackEvent(tMs: 1, .spawned(ppid: 4300), component: "app", role: .worker, pid: 4311),
                "app worker 4311 spawned by 4300\n"
            ),
            (
                StackEvent(tMs: 2, .exited(signal: 9, status: nil), component: "app", role: .worker, pid: 4311),
                "app worker 4311 killed by SIGKILL\n"
            ),
            (
                StackEvent(tMs: 3, .exited(signal: nil, status: 3), component: "app", role: .master, pid: 4300),
                "app master 4300 exited with status 3\n"
            ),
            (
                StackEvent(
                    tMs: 4, .exited(signal: nil, status: nil, unknown: "its parent reaped it first"),
                    component: "front",
                    role: .worker, pid: 5),
                "front worker 5 exited, how unknown: its parent reaped it first\n"
            ),
            (
                StackEvent(
                    tMs: 5, .replaced(oldPid: 4311, newPid: 4320, gapMs: 11), component: "app", role: .worker, pid: 4320
                ),
                "app worker 4311 → 4320 after 11 ms\n"
            ),
            (
                StackEvent(
                    tMs: 6, .replaced(oldPid: 1, newPid: 2, gapMs: 20), component: "front", role: .front, pid: 2),
                "front 1 → 2 after 20 ms\n"
            ),
            (
                StackEvent(tMs: 7, .crashLooping(exits: 5, windowMs: 10_000), component: "app", role: .master, pid: 9),
                "app master 9 crash-looping: 5 exits in 10 s\n"
            ),
            (
                StackEvent(tMs: 8, .orphaned, component: "front", role: .worker, pid: 7),
                "front worker 7 orphaned: its parent died, it keeps running\n"
            ),
            (
                StackEvent(tMs: 9, .down, component: "front", role: .front, pid: 6),
                "front 6 down: it died and nothing restarted it\n"
            ),
            (
                StackEvent(
                    tMs: 10, .health(hop: "front door", answering: false, detail: "no answer within 1000 ms"),
                    component: "front"),
                "front door NOT answering: no answer within 1000 ms\n"
            ),
            (
                StackEvent(
                    tMs: 11, .health(hop: "app socket", answering: true, detail: "connected in 0 ms"), component: "app"),
                "app socket answering: connected in 0 ms\n"
            ),
            (StackEvent(tMs: 12, .ready(afterMs: 7), component: "front"), "front (nginx) ready in 7 ms\n"),
        ]
        for (event, expected) in cases {
            XCTAssertEqual(text.text(for: event), expected, event.typeName)
        }
    }

    func testAProcessEventWhileALineIsOpenEndsTheLineFirst() {
        var text = HumanEventText(kinds: [:])
        XCTAssertEqual(text.text(for: StackEvent(tMs: 0, .starting(argv: ["/a"]), component: "a")), "starting a ... ")
        XCTAssertEqual(
            text.text(for: StackEvent(tMs: 1, .spawned(ppid: 1), component: "a", role: .worker, pid: 2)),
            "\na worker 2 spawned by 1\n")
        XCTAssertEqual(text.text(for: StackEvent(tMs: 2, .ready(afterMs: 5), component: "a")), "a ready in 5 ms\n")
    }
}
