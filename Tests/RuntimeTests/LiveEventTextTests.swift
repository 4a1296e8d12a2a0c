import Supervision
import XCTest
@testable import Runtime

/// The human lines `stacktop up` prints while a stack runs.
final class LiveEventTextTests: XCTestCase {
    func testRunningStackEventsReadAsLines() {
        var text = LiveEventText(kinds: ["app": "gunicorn", "front": "nginx"])
        let cases: [(StackEvent, String)] = [
            (StackEvent(tMs: 1, .spawned(ppid: 4300), component: "app", role: .worker, pid: 4311), "app worker 4311 spawned by 4300\n"),
            (StackEvent(tMs: 2, .exited(signal: 9, status: nil), component: "app", role: .worker, pid: 4311),
             "app worker 4311 killed by SIGKILL\n"),
            (StackEvent(tMs: 3, .exited(signal: nil, status: 3), component: "app", role: .master, pid: 4300),
             "app master 4300 exited with status 3\n"),
            (StackEvent(tMs: 4, .exited(signal: nil, status: nil, unknown: "its parent reaped it first"), component: "front",
                        role: .worker, pid: 5),
             "front worker 5 exited, how unknown: its parent reaped it first\n"),
            (StackEvent(tMs: 5, .replaced(oldPid: 4311, newPid: 4320, gapMs: 11), component: "app", role: .worker, pid: 4320),
             "app worker 4311 replaced by 4320 after 11 ms\n"),
            (StackEvent(tMs: 6, .replaced(oldPid: 1, newPid: 2, gapMs: 20), component: "front", role: .front, pid: 2),
             "front 1 replaced by 2 after 20 ms\n"),
            (StackEvent(tMs: 7, .crashLooping(exits: 5, windowMs: 10_000), component: "app", role: .master, pid: 9),
             "app master 9 crash-looping: 5 exits within 10 s\n"),
            (StackEvent(tMs: 8, .orphaned, component: "front", role: .worker, pid: 7), "front worker 7 orphaned: its parent died, it still runs\n"),
            (StackEvent(tMs: 9, .down, component: "front", role: .front, pid: 6), "front 6 down: it died and nothing replaced it\n"),
            (StackEvent(tMs: 10, .health(hop: "front door", answering: false, detail: "no answer within 1000 ms"), component: "front"),
             "front door NOT answering: no answer within 1000 ms\n"),
            (StackEvent(tMs: 11, .health(hop: "app socket", answering: true, detail: "connected in 0 ms"), component: "app"),
             "app socket answering: connected in 0 ms\n"),
            (StackEvent(tMs: 12, .ready(afterMs: 7), component: "front"), "front (nginx) ready in 7 ms\n"),
        ]
        for (event, expected) in cases {
            XCTAssertEqual(text.text(for: event), expected, event.typeName)
        }
    }

    func testZombieStatusIsParsedOnlyForTheSameDeadProcess() {
        // 52 fields; state Z, start time (field 22) 777, exit_code (field 52) 9 = killed by SIGKILL.
        func stat(_ state: String, start: Int, code: Int) -> [UInt8] {
            var fields = [state] + Array(repeating: "0", count: 49)
            fields[19] = String(start)
            fields[49] = String(code)
            return Array("42 (gunicorn: x) \(fields.joined(separator: " "))\n".utf8)
        }
        XCTAssertEqual(ExitStatusReader.parse(stat: stat("Z", start: 777, code: 9), startTime: 777).map { [$0.signal, $0.status] },
                       [9, nil])
        XCTAssertEqual(ExitStatusReader.parse(stat: stat("Z", start: 777, code: 256), startTime: 777).map { [$0.signal, $0.status] },
                       [nil, 1])
        XCTAssertNil(ExitStatusReader.parse(stat: stat("S", start: 777, code: 0), startTime: 777), "alive")
        XCTAssertNil(ExitStatusReader.parse(stat: stat("Z", start: 778, code: 9), startTime: 777), "another process")
    }
}
