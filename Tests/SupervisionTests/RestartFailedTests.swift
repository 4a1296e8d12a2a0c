import StackRecipes
import XCTest
@testable import Supervision

/// A restart in place that fails midway (stopped, then the start could not be spawned, or the
/// stop left survivors): the component must not stay "stopping".
final class RestartFailedTests: XCTestCase {
    typealias F = Fixture

    /// Stopped, then the spawn failed: no longer stopping, the stopped root reported down, the
    /// component down (its stopped worker slot dropped).
    func testAFailedStartAfterTheStopReportsTheRootDown() {
        let (observer, events) = F.run([
            (0, F.scan(F.nMaster, F.nWorker1, F.gMaster)),
            (1_000, .stopping(component: "web")),
            (1_010, .exited(pid: 501, signal: nil, status: 0)),
            (1_020, .exited(pid: 500, signal: nil, status: 0)),
            (1_030, F.scan(F.gMaster)),
        ])
        XCTAssertTrue(observer.isStopping("web"))
        XCTAssertEqual(observer.component("web")?.isDown, false, "a stopped component is not down")
        var after = observer
        let failed = after.handle(.restartFailed(component: "web"), at: 1_300)
        XCTAssertEqual(failed, [F.e(1_300, .down, "web", .front, 500)])
        XCTAssertFalse(after.isStopping("web"))
        let web = after.component("web")
        XCTAssertEqual(web?.isStopping, false)
        XCTAssertEqual(web?.isDown, true)
        XCTAssertEqual(web?.slots.map(\.phase), [.gone], "the root's slot gone, the worker's dropped")
        XCTAssertEqual(after.handle(.tick, at: 30_000), [], "nothing more is reported later")
        XCTAssertEqual(events.filter { if case .down = $0.kind { return true } else { return false } }, [])
        // The other component is untouched.
        XCTAssertEqual(after.component("app")?.isDown, false)
    }

    /// The stop left the master alive (survivors): no longer stopping, nothing reported down,
    /// and its later death is a failure again (exit, then down), not an expected stop.
    func testSurvivorsOfTheStopCountAsFailuresAgain() {
        var (observer, _) = F.run([
            (0, F.scan(F.nMaster, F.nWorker1)),
            (1_000, .stopping(component: "web")),
            (1_010, .exited(pid: 501, signal: nil, status: 0)),
        ])
        XCTAssertEqual(observer.handle(.restartFailed(component: "web"), at: 1_200), [])
        XCTAssertFalse(observer.isStopping("web"))
        XCTAssertEqual(observer.component("web")?.isDown, false)
        let death = observer.handle(.exited(pid: 500, signal: 9, status: nil), at: 2_000)
        XCTAssertEqual(
            death,
            [
                F.e(2_000, .exited(signal: 9, status: nil), "web", .front, 500),
                F.e(2_000, .down, "web", .front, 500),
            ])
        XCTAssertEqual(observer.component("web")?.isDown, true)
    }
}
