import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// Every built-in scenario resolved against every seed topology, launched as the observer sees it.
final class DrillPlanTests: XCTestCase {
    /// The components of `topology` as the observer sees them once launched: roots with the role
    /// their kind gives them, and their workers; hosted and single-process servers as roots.
    static func launched(_ topology: Topology) -> [ComponentView] {
        var pid: Int32 = 1_000
        var processes: [ObservedProcess] = []
        var rootOf: [String: Int32] = [:]
        func add(_ c: String, _ role: ProcessRole, depth: Int, ppid: Int32) -> Int32 {
            pid += 1
            processes.append(
                ObservedProcess(
                    pid: pid, ppid: ppid, startTime: UInt64(pid), component: c, role: role,
                    depth: depth, commandLine: c))
            return pid
        }
        for c in topology.startOrder {
            let parent =
                topology.supervisor(of: c.name).flatMap { rootOf[$0.name] } ?? c.inside.flatMap { rootOf[$0] } ?? 50
            let workers = c.kind.hasWorkers ? c.workers ?? 2 : 0
            switch c.kind {
            case .flup where c.processModel == .threaded || c.inside != nil, .waitress, .werkzeug, .modWSGI:
                for _ in 0..<max(1, workers) { rootOf[c.name] = add(c.name, .worker, depth: 0, ppid: parent) }
            default:
                let role: ProcessRole = c.kind.role == .front ? .front : c.kind == .supervisord ? .supervisor : .master
                let root = add(c.name, role, depth: 0, ppid: parent)
                rootOf[c.name] = root
                for _ in 0..<workers { _ = add(c.name, .worker, depth: 1, ppid: root) }
            }
        }
        var observer = StackObserver(components: topology.components.map(\.name))
        _ = observer.handle(.scanned(ProcessSnapshot(processes)), at: 0)
        _ = observer.handle(.tick, at: 2_000)
        return observer.components
    }

    static func outcome(_ s: DrillScenario, _ t: Topology) -> String {
        switch DrillPlan.resolve(s, topology: t, components: launched(t)) {
        case let .success(p):
            let step: String
            switch p.step {
            case let .signal(sig, pids): step = "signal \(sig) ×\(pids.count)"
            case let .stop(pids, sec): step = "stop ×\(pids.count) \(sec) s"
            case let .request(path, n): step = "GET \(path) ×\(n)"
            case let .slowRequest(path, wait): step = "GET \(path) in the background, waiting \(wait) ms"
            case let .failImport(sig, pids): step = "break import, signal \(sig) ×\(pids.count)"
            case let .operate(recipe, pids, bump):
                step = "\(bump ? "bump version, " : "")\(recipe.operation.rawValue) ×\(pids.count)"
            }
            return "\(p.targetText) | \(step) | watch \(p.watched.joined(separator: ",")) | \(p.detail)"
        case let .failure(r):
            return "REFUSED \(r.description)"
        }
    }
}

extension DrillPlanTests {
    struct Special {
        let name: String
        let stem: String
        let scenario: DrillScenario
        var app: AppSpec?
        /// Processes instead of the launched shape (the observer at 2 s, settled).
        var processes: [ObservedProcess]?
        var exits: [Int32] = []
        let expected: String
    }

    static func with(_ name: String, target: String? = nil) -> DrillScenario {
        var s = DrillFixture.scenario(name)
        s.target = target
        return s
    }

    static let userApp = AppSpec(module: "shop.wsgi:application", directory: "/srv/shop", isDemo: false)
    typealias F = Fixture
    typealias D = DrillFixture

    static let specials: [Special] = [
        Special(
            name: "a misspelt target gets a did-you-mean", stem: "nginx-gunicorn",
            scenario: with("kill-worker", target: "ap"),
            expected: "REFUSED kill-worker: nginx-gunicorn has no component 'ap'; did you mean 'app'?"),
        Special(
            name: "kill-worker may target the front server's workers", stem: "nginx-gunicorn",
            scenario: with("kill-worker", target: "front"),
            expected: "front worker 1 (pid 1005) | signal 9 ×1 | watch front | SIGKILL one nginx worker of front"),
        Special(
            name: "kill-front on an app server", stem: "nginx-gunicorn", scenario: with("kill-front", target: "app"),
            expected: "REFUSED kill-front: 'app' is gunicorn, not a front server"),
        Special(
            name: "kill-supervisor aimed at nginx", stem: "nginx-gunicorn-supervisord",
            scenario: with("kill-supervisor", target: "front"),
            expected: "REFUSED kill-supervisor: 'front' is nginx, not supervisord"),
        Special(
            name: "crash-inside needs the demo app", stem: "nginx-gunicorn", scenario: with("crash-inside"),
            app: userApp,
            expected:
                "REFUSED crash-inside: needs the demo app's /crash route, and nginx-gunicorn serves shop.wsgi:application"
        ),
        Special(
            name: "crash-loop needs the demo app", stem: "nginx-gunicorn-supervisord", scenario: with("crash-loop"),
            app: userApp,
            expected:
                "REFUSED crash-loop: needs the demo app's import switch, and nginx-gunicorn-supervisord serves shop.wsgi:application"
        ),
        Special(
            name: "the lowest worker slot is chosen, not the lowest pid; orphans never",
            stem: "nginx-gunicorn",
            scenario: with("kill-worker"),
            processes: [D.master, D.worker(150, of: 100, start: 9_995), D.worker(120, of: 100, start: 9_996), D.nginx],
            expected: "app worker 1 (pid 150) | signal 9 ×1 | watch app | SIGKILL one gunicorn worker of app"),
        Special(
            name: "a component that is down has nothing to kill", stem: "nginx-gunicorn", scenario: with("kill-worker"),
            processes: [D.master, D.worker1, D.nginx], exits: [100, 101],
            expected: "REFUSED kill-worker: app is down: no live worker to act on"),
        Special(
            name: "kill-master after the master died", stem: "nginx-gunicorn", scenario: with("kill-master"),
            processes: [D.master, D.worker1, D.nginx], exits: [100],
            expected: "REFUSED kill-master: app has no live root process (is it down?)"),
        Special(
            name: "a TERM variant keeps the target and says the signal", stem: "gunicorn",
            scenario: with("kill-worker").with(signal: DrillSignal.term)!,
            expected: "app worker 1 (pid 1002) | signal 15 ×1 | watch app | SIGTERM one gunicorn worker of app"),
    ]

    func testSpecialCases() throws {
        for c in Self.specials {
            var t = try DrillFixture.topology(c.stem)
            if let app = c.app { t.app = app }
            let got: String
            if let processes = c.processes {
                var observer = StackObserver(components: t.components.map(\.name))
                _ = observer.handle(.scanned(ProcessSnapshot(processes)), at: 0)
                for pid in c.exits { _ = observer.handle(.exited(pid: pid, signal: 9, status: nil), at: 1_000) }
                let survivors = processes.filter { !c.exits.contains($0.pid) }
                    .map { c.exits.contains($0.ppid) ? F.reparented($0, to: 1) : $0 }
                _ = observer.handle(.scanned(ProcessSnapshot(survivors)), at: 1_100)
                _ = observer.handle(.tick, at: 2_000)
                got = Self.render(DrillPlan.resolve(c.scenario, topology: t, components: observer.components))
            } else {
                got = Self.outcome(c.scenario, t)
            }
            XCTAssertEqual(got, c.expected, c.name)
        }
    }

    static func render(_ r: Result<DrillPlan, DrillRefusal>) -> String {
        switch r {
        case let .success(p):
            guard case let .signal(sig, pids) = p.step else { return "\(p.step)" }
            return
                "\(p.targetText) | signal \(sig) ×\(pids.count) | watch \(p.watched.joined(separator: ",")) | \(p.detail)"
        case let .failure(r):
            return "REFUSED \(r.description)"
        }
    }
}

extension DrillPlanTests {
    /// Every built-in scenario on every seed topology: the target, the step, the watched
    /// components and the detail, or the refusal. Reviewed line by line against stacks.md.
    static let matrix: [String: [String]] = [
        "werkzeug": [
            "kill-worker: app worker 1 (pid 1001) | signal 9 ×1 | watch app | SIGKILL werkzeug (app): it runs as one process, so its only worker is the server itself; nothing restarts it",
            "kill-all-workers: app worker 1 (pid 1001) | signal 9 ×1 | watch app | SIGKILL werkzeug (app): it runs as one process, so its only worker is the server itself; nothing restarts it",
            "kill-master: REFUSED kill-master: app (werkzeug) runs as one process with no master: use kill-worker",
            "kill-front: REFUSED kill-front: the front door of werkzeug is the app server 'app' (werkzeug): there is no front server to kill; use kill-master",
            "kill-supervisor: REFUSED kill-supervisor: werkzeug has no supervisord",
            "stop-worker: app worker 1 (pid 1001) | stop ×1 5.0 s | watch app | SIGSTOP werkzeug (app): it runs as one process, so its only worker is the server itself, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through app: the werkzeug worker that takes it kills itself",
            "crash-loop: REFUSED crash-loop: nothing restarts app (werkzeug), so the broken import would never be tried; use kill-worker",
        ],
        "waitress": [
            "kill-worker: app worker 1 (pid 1001) | signal 9 ×1 | watch app | SIGKILL waitress (app): it runs as one process, so its only worker is the server itself; nothing restarts it",
            "kill-all-workers: app worker 1 (pid 1001) | signal 9 ×1 | watch app | SIGKILL waitress (app): it runs as one process, so its only worker is the server itself; nothing restarts it",
            "kill-master: REFUSED kill-master: app (waitress) runs as one process with no master: use kill-worker",
            "kill-front: REFUSED kill-front: the front door of waitress is the app server 'app' (waitress): there is no front server to kill; use kill-master",
            "kill-supervisor: REFUSED kill-supervisor: waitress has no supervisord",
            "stop-worker: app worker 1 (pid 1001) | stop ×1 5.0 s | watch app | SIGSTOP waitress (app): it runs as one process, so its only worker is the server itself, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through app: the waitress worker that takes it kills itself",
            "crash-loop: REFUSED crash-loop: nothing restarts app (waitress), so the broken import would never be tried; use kill-worker",
        ],
        "gunicorn": [
            "kill-worker: app worker 1 (pid 1002) | signal 9 ×1 | watch app | SIGKILL one gunicorn worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch app | SIGKILL all 2 gunicorn workers of app",
            "kill-master: app master (pid 1001) | signal 9 ×1 | watch app | SIGKILL the gunicorn master of app",
            "kill-front: REFUSED kill-front: the front door of gunicorn is the app server 'app' (gunicorn): there is no front server to kill; use kill-master",
            "kill-supervisor: REFUSED kill-supervisor: gunicorn has no supervisord",
            "stop-worker: app worker 1 (pid 1002) | stop ×1 5.0 s | watch app | SIGSTOP one gunicorn worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through app: the gunicorn worker that takes it kills itself",
            "crash-loop: app workers 1, 2 (pids 1002, 1003) | break import, signal 9 ×2 | watch app | break the app's import, then SIGKILL all 2 workers of app: gunicorn's master respawns them, each new worker fails to import the app and the master gives up",
        ],
        "uwsgi": [
            "kill-worker: app worker 1 (pid 1002) | signal 9 ×1 | watch app | SIGKILL one uwsgi worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch app | SIGKILL all 2 uwsgi workers of app",
            "kill-master: app master (pid 1001) | signal 9 ×1 | watch app | SIGKILL the uwsgi master of app",
            "kill-front: REFUSED kill-front: the front door of uwsgi is the app server 'app' (uwsgi): there is no front server to kill; use kill-master",
            "kill-supervisor: REFUSED kill-supervisor: uwsgi has no supervisord",
            "stop-worker: app worker 1 (pid 1002) | stop ×1 5.0 s | watch app | SIGSTOP one uwsgi worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through app: the uwsgi worker that takes it kills itself",
            "crash-loop: REFUSED crash-loop: uwsgi imports the app once in its master and forks workers from it, and no supervisor restarts the master: nothing would import the broken app again",
        ],
        "nginx-gunicorn": [
            "kill-worker: app worker 1 (pid 1002) | signal 9 ×1 | watch app | SIGKILL one gunicorn worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch app | SIGKILL all 2 gunicorn workers of app",
            "kill-master: app master (pid 1001) | signal 9 ×1 | watch app | SIGKILL the gunicorn master of app",
            "kill-front: front master (pid 1004) | signal 9 ×1 | watch front | SIGKILL the nginx master of front",
            "kill-supervisor: REFUSED kill-supervisor: nginx-gunicorn has no supervisord",
            "stop-worker: app worker 1 (pid 1002) | stop ×1 5.0 s | watch app | SIGSTOP one gunicorn worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the gunicorn worker that takes it kills itself",
            "crash-loop: app workers 1, 2 (pids 1002, 1003) | break import, signal 9 ×2 | watch app | break the app's import, then SIGKILL all 2 workers of app: gunicorn's master respawns them, each new worker fails to import the app and the master gives up",
        ],
        "nginx-gunicorn-supervisord": [
            "kill-worker: app worker 1 (pid 1003) | signal 9 ×1 | watch app | SIGKILL one gunicorn worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1003, 1004) | signal 9 ×2 | watch app | SIGKILL all 2 gunicorn workers of app",
            "kill-master: app master (pid 1002) | signal 9 ×1 | watch app | SIGKILL the gunicorn master of app; supervisor (supervisord) restarts the component if it dies",
            "kill-front: front master (pid 1005) | signal 9 ×1 | watch front | SIGKILL the nginx master of front; supervisor (supervisord) restarts the component if it dies",
            "kill-supervisor: supervisor (pid 1001) | signal 9 ×1 | watch supervisor | SIGKILL supervisord (supervisor); front, app keep running without a supervisor and nothing restarts supervisord",
            "stop-worker: app worker 1 (pid 1003) | stop ×1 5.0 s | watch app | SIGSTOP one gunicorn worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the gunicorn worker that takes it kills itself; supervisor (supervisord) restarts the component if it dies",
            "crash-loop: app master (pid 1002) | break import, signal 9 ×1 | watch app | break the app's import, then SIGKILL the gunicorn master of app: supervisor (supervisord) restarts it and every start dies importing the app",
        ],
        "nginx-uwsgi": [
            "kill-worker: app worker 1 (pid 1002) | signal 9 ×1 | watch app | SIGKILL one uwsgi worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch app | SIGKILL all 2 uwsgi workers of app",
            "kill-master: app master (pid 1001) | signal 9 ×1 | watch app | SIGKILL the uwsgi master of app",
            "kill-front: front master (pid 1004) | signal 9 ×1 | watch front | SIGKILL the nginx master of front",
            "kill-supervisor: REFUSED kill-supervisor: nginx-uwsgi has no supervisord",
            "stop-worker: app worker 1 (pid 1002) | stop ×1 5.0 s | watch app | SIGSTOP one uwsgi worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the uwsgi worker that takes it kills itself",
            "crash-loop: REFUSED crash-loop: uwsgi imports the app once in its master and forks workers from it, and no supervisor restarts the master: nothing would import the broken app again",
        ],
        "nginx-uwsgi-supervisord": [
            "kill-worker: app worker 1 (pid 1003) | signal 9 ×1 | watch app | SIGKILL one uwsgi worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1003, 1004) | signal 9 ×2 | watch app | SIGKILL all 2 uwsgi workers of app",
            "kill-master: app master (pid 1002) | signal 9 ×1 | watch app | SIGKILL the uwsgi master of app; supervisor (supervisord) restarts the component if it dies",
            "kill-front: front master (pid 1005) | signal 9 ×1 | watch front | SIGKILL the nginx master of front; supervisor (supervisord) restarts the component if it dies",
            "kill-supervisor: supervisor (pid 1001) | signal 9 ×1 | watch supervisor | SIGKILL supervisord (supervisor); front, app keep running without a supervisor and nothing restarts supervisord",
            "stop-worker: app worker 1 (pid 1003) | stop ×1 5.0 s | watch app | SIGSTOP one uwsgi worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the uwsgi worker that takes it kills itself; supervisor (supervisord) restarts the component if it dies",
            "crash-loop: app master (pid 1002) | break import, signal 9 ×1 | watch app | break the app's import, then SIGKILL the uwsgi master of app: supervisor (supervisord) restarts it and every start dies importing the app",
        ],
        "apache-mod-wsgi": [
            "kill-worker: app worker 1 (pid 1004) | signal 9 ×1 | watch app | SIGKILL one mod_wsgi worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1004, 1005) | signal 9 ×2 | watch app | SIGKILL all 2 mod_wsgi workers of app",
            "kill-master: front master (pid 1001) | signal 9 ×1 | watch front,app | SIGKILL apache's parent process: mod_wsgi has no master of its own, its processes are children of front (apache), so this takes all of apache down",
            "kill-front: front master (pid 1001) | signal 9 ×1 | watch front,app | SIGKILL the apache master of front, parent of app",
            "kill-supervisor: REFUSED kill-supervisor: apache-mod-wsgi has no supervisord",
            "stop-worker: app worker 1 (pid 1004) | stop ×1 5.0 s | watch app | SIGSTOP one mod_wsgi worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the mod_wsgi worker that takes it kills itself",
            "crash-loop: app workers 1, 2 (pids 1004, 1005) | break import, signal 9 ×2 | watch app | break the app's import, then SIGKILL all 2 workers of app: front (apache) respawns the daemons, and each fails to import the app at its first request (500s)",
        ],
        "nginx-flup": [
            "kill-worker: app worker 1 (pid 1002) | signal 9 ×1 | watch app | SIGKILL one flup worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch app | SIGKILL all 2 flup workers of app",
            "kill-master: app master (pid 1001) | signal 9 ×1 | watch app | SIGKILL the flup master of app",
            "kill-front: front master (pid 1004) | signal 9 ×1 | watch front | SIGKILL the nginx master of front",
            "kill-supervisor: REFUSED kill-supervisor: nginx-flup has no supervisord",
            "stop-worker: app worker 1 (pid 1002) | stop ×1 5.0 s | watch app | SIGSTOP one flup worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the flup worker that takes it kills itself",
            "crash-loop: REFUSED crash-loop: flup imports the app once in its master and forks workers from it, and no supervisor restarts the master: nothing would import the broken app again",
        ],
        "lighttpd-flup": [
            "kill-worker: app worker 1 (pid 1002) | signal 9 ×1 | watch app | SIGKILL one flup worker of app",
            "kill-all-workers: app workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch app | SIGKILL all 2 flup workers of app",
            "kill-master: front master (pid 1001) | signal 9 ×1 | watch front,app | SIGKILL lighttpd's parent process: flup has no master of its own, its processes are children of front (lighttpd), so this takes all of lighttpd down",
            "kill-front: front master (pid 1001) | signal 9 ×1 | watch front,app | SIGKILL the lighttpd master of front, parent of app",
            "kill-supervisor: REFUSED kill-supervisor: lighttpd-flup has no supervisord",
            "stop-worker: app worker 1 (pid 1002) | stop ×1 5.0 s | watch app | SIGSTOP one flup worker of app, SIGCONT after 5 s",
            "crash-inside: app | GET /crash ×1 | watch app | GET /crash once through front: the flup worker that takes it kills itself",
            "crash-loop: app workers 1, 2 (pids 1002, 1003) | break import, signal 9 ×2 | watch app | break the app's import, then SIGKILL all 2 workers of app: front respawns them and each new one fails to import the app",
        ],
        "nginx-pool": [
            "kill-worker: gunicorn worker 1 (pid 1002) | signal 9 ×1 | watch gunicorn | SIGKILL one gunicorn worker of gunicorn",
            "kill-all-workers: gunicorn workers 1, 2 (pids 1002, 1003) | signal 9 ×2 | watch gunicorn | SIGKILL all 2 gunicorn workers of gunicorn",
            "kill-master: gunicorn master (pid 1001) | signal 9 ×1 | watch gunicorn | SIGKILL the gunicorn master of gunicorn",
            "kill-front: front master (pid 1007) | signal 9 ×1 | watch front | SIGKILL the nginx master of front",
            "kill-supervisor: REFUSED kill-supervisor: nginx-pool has no supervisord",
            "stop-worker: gunicorn worker 1 (pid 1002) | stop ×1 5.0 s | watch gunicorn | SIGSTOP one gunicorn worker of gunicorn, SIGCONT after 5 s",
            "crash-inside: gunicorn | GET /crash ×1 | watch gunicorn | GET /crash once through front: the gunicorn worker that takes it kills itself",
            "crash-loop: gunicorn workers 1, 2 (pids 1002, 1003) | break import, signal 9 ×2 | watch gunicorn | break the app's import, then SIGKILL all 2 workers of gunicorn: gunicorn's master respawns them, each new worker fails to import the app and the master gives up",
        ],
    ]

    func testEveryScenarioOnEverySeedTopology() throws {
        XCTAssertEqual(Self.matrix.count, 12)
        for (stem, expected) in Self.matrix.sorted(by: { $0.key < $1.key }) {
            let t = try DrillFixture.topology(stem)
            let got = DrillScenario.builtIn.filter { s in !DrillScenario.deployScenarios.contains { $0.name == s.name }
            }.map { "\($0.name): \(Self.outcome($0, t))" }
            XCTAssertEqual(got.count, expected.count, stem)
            for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, stem) }
        }
    }
}
