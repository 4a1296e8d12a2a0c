import Dashboard
import StackModel
import Supervision
import XCTest

/// The screens as text grids at 80×24 and 120×40, compared with Snapshots/*.txt.
final class SnapshotTests: XCTestCase {
    static let sizes = [(80, 24), (120, 40)]

    func testRunningStack() {
        for (w, h) in Self.sizes {
            let (state, _) = StackFixture.running(width: w, height: h)
            Snapshot.assert(DashboardView.render(state), named: "running-\(w)x\(h)")
        }
    }

    func testAfterWorkerKill() {
        for (w, h) in Self.sizes {
            let (state, _) = StackFixture.afterWorkerKill(width: w, height: h)
            Snapshot.assert(DashboardView.render(state), named: "after-kill-\(w)x\(h)")
        }
    }

    func testHelpOverlay() {
        for (w, h) in Self.sizes {
            var (state, _) = StackFixture.running(width: w, height: h)
            _ = update(&state, .key(.char("?")))
            Snapshot.assert(DashboardView.render(state), named: "help-\(w)x\(h)")
        }
    }

    func testConfigViewer() {
        for (w, h) in Self.sizes {
            var (state, _) = StackFixture.running(width: w, height: h)
            _ = update(&state, .key(.down))  // the nginx master: component front
            _ = update(&state, .key(.char("v")))
            Snapshot.assert(DashboardView.render(state), named: "config-\(w)x\(h)")
        }
    }

    func testLogPane() {
        for (w, h) in Self.sizes {
            var (state, _) = StackFixture.running(width: w, height: h)
            for _ in 0..<4 { _ = update(&state, .key(.down)) }  // the gunicorn master: component app
            _ = update(&state, .key(.char("L")))
            Snapshot.assert(DashboardView.render(state), named: "log-\(w)x\(h)")
        }
    }

    func testPicker() {
        for (w, h) in Self.sizes {
            var state = StackFixture.picker(width: w, height: h)
            _ = update(&state, .key(.down))
            Snapshot.assert(DashboardView.render(state), named: "picker-\(w)x\(h)")
        }
    }

    /// A pool (nginx → gunicorn + uWSGI) just launched: the trunk to two app boxes, nothing running yet.
    func testPoolBeforeItsProcessesAppear() {
        var pool = StackFixture.topology
        pool.name = "nginx-pool"
        pool.components = [
            Component(name: "front", kind: .nginx, workers: 2, upstream: ["gunicorn", "uwsgi"]),
            Component(name: "gunicorn", kind: .gunicorn, workers: 2, transport: .unix),
            Component(name: "uwsgi", kind: .uwsgi, workers: 2, transport: .unix),
        ]
        var state = DashboardState(topology: pool, width: 80, height: 24)
        _ = update(
            &state,
            .events([
                StackEvent(tMs: 0, .stack(topology: "nginx-pool", runDir: "/tmp/r", url: "http://127.0.0.1:8080/")),
                StackEvent(
                    tMs: 3,
                    .starting(argv: ["/VENV/bin/gunicorn", "--config", "/tmp/r/conf/gunicorn/gunicorn.conf.py"]),
                    component: "gunicorn"),
            ]))
        Snapshot.assert(DashboardView.render(state), named: "pool-starting-80x24")
    }

    func testDrillMenu() {
        for (w, h) in Self.sizes {
            var state = DrillFixture.menuOpen(width: w, height: h)
            _ = update(&state, .key(.down))
            Snapshot.assert(DashboardView.render(state), named: "drill-menu-\(w)x\(h)")
        }
    }

    func testDrillRunning() {
        for (w, h) in Self.sizes {
            Snapshot.assert(
                DashboardView.render(DrillFixture.running(width: w, height: h)), named: "drill-running-\(w)x\(h)")
        }
    }

    func testDrillReport() {
        for (w, h) in Self.sizes {
            Snapshot.assert(
                DashboardView.render(DrillFixture.finished(width: w, height: h)), named: "drill-report-\(w)x\(h)")
        }
    }

    func testTooSmall() {
        let (state, _) = StackFixture.running(width: 60, height: 20)
        Snapshot.assert(DashboardView.render(state), named: "too-small-60x20")
    }
}
