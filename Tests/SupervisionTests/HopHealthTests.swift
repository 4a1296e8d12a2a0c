import XCTest
@testable import Supervision

/// Health events come only when a hop's answer changes.
final class HopHealthTests: XCTestCase {
    func testChangeOnlyEvents() {
        let probes: [(at: Int, hop: String, answering: Bool, detail: String, event: Bool)] = [
            (0, "front", false, "connect: refused", true),  // first result: from unknown
            (100, "front", false, "connect: refused", false),
            (200, "front", true, "200 in 3 ms", true),
            (300, "front", true, "200 in 2 ms", false),
            (300, "app", true, "200 in 1 ms", true),  // another hop has its own state
            (400, "front", false, "502", true),
            (500, "front", false, "502", false),
            (600, "front", true, "200 in 4 ms", true),
        ]
        var health = HopHealth()
        for p in probes {
            let events = health.record(hop: p.hop, component: "web", answering: p.answering, detail: p.detail, at: p.at)
            let want =
                p.event
                ? [
                    StackEvent(
                        tMs: p.at, .health(hop: p.hop, answering: p.answering, detail: p.detail), component: "web")
                ]
                : []
            XCTAssertEqual(events, want, "probe at \(p.at) of \(p.hop)")
        }
        XCTAssertEqual(health.all.map(\.hop), ["front", "app"])
        let front = health.status(of: "front")
        XCTAssertEqual(front?.answering, true)
        XCTAssertEqual(front?.sinceMs, 600)
        XCTAssertEqual(front?.lastProbeMs, 600)
        XCTAssertEqual(front?.detail, "200 in 4 ms")
        XCTAssertEqual(front?.probesSinceChange, 1)
        XCTAssertNil(health.status(of: "nope"))
    }

    func testUnchangedAnswerKeepsSinceButUpdatesDetail() {
        var health = HopHealth()
        _ = health.record(hop: "h", answering: false, detail: "refused", at: 10)
        XCTAssertEqual(health.record(hop: "h", answering: false, detail: "timeout", at: 20), [])
        XCTAssertEqual(health.status(of: "h")?.sinceMs, 10)
        XCTAssertEqual(health.status(of: "h")?.detail, "timeout")
        XCTAssertEqual(health.status(of: "h")?.probesSinceChange, 2)
        XCTAssertEqual(
            health.record(hop: "h", answering: true, detail: "200", at: 30).map(\.jsonLine),
            [#"{"t_ms":30,"type":"health","hop":"h","answering":true,"detail":"200"}"#])
    }
}
