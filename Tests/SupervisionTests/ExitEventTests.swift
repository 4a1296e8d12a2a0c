import XCTest
@testable import Supervision

/// Every `exited` event says how the process ended — killed, exited, or unknown and why.
final class ExitEventTests: XCTestCase {
    func testJSONSaysHowEveryExitEnded() {
        let cases: [(StackEvent.Kind, String)] = [
            (.exited(signal: 9, status: nil), #""how":"killed","signal":9}"#),
            (.exited(signal: nil, status: 3), #""how":"exited","status":3}"#),
            (
                .exited(signal: nil, status: nil, unknown: "its parent reaped it first"),
                #""how":"unknown","why":"its parent reaped it first"}"#
            ),
            (.exited(signal: nil, status: nil), #""how":"unknown","why":"not reported"}"#),
        ]
        for (kind, tail) in cases {
            let line = StackEvent(tMs: 5, kind, component: "app", role: .worker, pid: 7).jsonLine
            XCTAssertTrue(line.hasSuffix(tail), line)
        }
    }

    func testAnExitWithNeitherSignalNorStatusCarriesTheRuntimesReason() {
        var observer = StackObserver()
        _ = observer.handle(Fixture.scan(Fixture.gMaster, Fixture.gWorker1, Fixture.gWorker2), at: 0)
        let events = observer.handle(.exited(pid: 101, signal: nil, status: nil, unknown: "no pidfd"), at: 10)
        XCTAssertEqual(events.first?.kind, .exited(signal: nil, status: nil, unknown: "no pidfd"))
        // A process that only vanished from a scan says so.
        let vanished =
            observer.handle(Fixture.scan(Fixture.gMaster, Fixture.gWorker2), at: 20)
            + observer.handle(Fixture.scan(Fixture.gMaster), at: 30)
        let exit = vanished.first { $0.typeName == "exited" && $0.pid == 102 }
        guard case let .exited(nil, nil, why?)? = exit?.kind else { return XCTFail("\(vanished)") }
        XCTAssertTrue(why.contains("vanished from /proc"), why)
    }
}
