import StackModel
import Supervision
import XCTest
@testable import Dashboard

/// `D` behind a pool (nginx → gunicorn + uWSGI) reloads every member, as the deploy drill does:
/// the new version is written once, before the first member's reload. A member that cannot
/// reload greys the key with its reason.
final class PoolDeployKeyTests: XCTestCase {
    static func pool(second: Component) -> DashboardState {
        var t = StackFixture.topology
        t.name = "nginx-pool"
        t.components = [
            Component(name: "front", kind: .nginx, workers: 2, upstream: ["gunicorn", second.name]),
            Component(name: "gunicorn", kind: .gunicorn, workers: 2, transport: .unix),
            second,
        ]
        var state = DashboardState(topology: t, width: 80, height: 24)
        var observer = StackObserver(components: t.startOrder.map(\.name))
        var events = [StackEvent(tMs: 0, .stack(topology: t.name, runDir: "/tmp/r", url: "http://127.0.0.1:8080/"))]
        events += observer.handle(
            .scanned(
                ProcessSnapshot([
                    StackFixture.p(500, 50, "front", .front, depth: 0, "nginx: master process"),
                    StackFixture.p(501, 500, "front", .worker, depth: 1, "nginx: worker process"),
                    StackFixture.p(510, 50, "gunicorn", .master, depth: 0, StackFixture.master),
                    StackFixture.p(511, 510, "gunicorn", .worker, depth: 1, StackFixture.worker),
                    StackFixture.p(520, 50, second.name, second.kind == .uwsgi ? .master : .worker, depth: 0, "second"),
                ])), at: 400)
        for name in ["gunicorn", second.name, "front"] {
            events.append(StackEvent(tMs: 1_000, .ready(afterMs: 900), component: name))
        }
        _ = update(&state, .events(events))
        _ = update(&state, .processes(observer.components))
        _ = update(&state, .tick(nowMs: 5_000))
        return state
    }

    func testDeployReloadsEveryMemberWritingTheVersionOnce() {
        var state = Self.pool(second: Component(name: "uwsgi", kind: .uwsgi, workers: 2, transport: .unix))
        XCTAssertNil(state.whyDisabled(.deployable))
        XCTAssertEqual(
            update(&state, .key(.char("D"))),
            [
                .operate(.reload, component: "gunicorn", bumpVersion: true),
                .operate(.reload, component: "uwsgi", bumpVersion: false),
            ])
        XCTAssertEqual(
            state.timeline.entries.last?.text,
            "deploy of gunicorn, uwsgi requested: next app version, then a graceful reload of each member of front's pool"
        )
    }

    func testAMemberThatCannotReloadGreysTheKeyWithItsReason() {
        var state = Self.pool(second: Component(name: "slow", kind: .waitress, workers: 1, threads: 4))
        let why = state.whyDisabled(.deployable)
        XCTAssertEqual(
            why?.hasPrefix("a deploy reloads every member of front's pool; slow: waitress has no reload"), true,
            why ?? "nil")
        XCTAssertEqual(update(&state, .key(.char("D"))), [])
    }
}
