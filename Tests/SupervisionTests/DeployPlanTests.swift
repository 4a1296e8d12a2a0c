import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// The deploy scenarios resolved against every seed topology (launched as the observer sees
/// it): what is acted on, how, what must settle, or why the scenario does not apply.
final class DeployPlanTests: XCTestCase {
    static func outcome(_ s: DrillScenario, _ t: Topology) -> String {
        switch DrillPlan.resolve(s, topology: t, components: DrillPlanTests.launched(t)) {
        case let .success(p):
            guard case let .operate(recipe, pids, bump) = p.step else { return "not an operation: \(p.step)" }
            let method: String
            switch recipe.method {
            case let .signalRoot(c, sig): method = "signal \(sig) to \(c) root ×\(pids.count)"
            case let .fifo(path, command): method = "fifo '\(command)' \(path.split(separator: "/").last ?? "")"
            case let .command(argv):
                method = argv.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: " ")
            case let .restartInPlace(c): method = "stop + start \(c)"
            case .unsupported: method = "unsupported"
            }
            let also = p.alsoOperate.map { " + \($0.recipe.component) \(Self.methodText($0.recipe.method))" }.joined()
            let recycle = p.recycle.map { " | recycle \($0.configFile), count '\($0.marker)' in \($0.logFile)" } ?? ""
            return
                "\(p.targetText) | \(bump ? "bump, " : "")\(method)\(also) | watch \(p.watched.joined(separator: ","))\(recycle)"
        case let .failure(r):
            return "REFUSED \(r.reason)"
        }
    }

    static func methodText(_ m: OperationMethod) -> String {
        switch m {
        case let .signalRoot(c, sig): return "signal \(sig) to \(c) root"
        case let .fifo(path, command): return "fifo '\(command)' \(path.split(separator: "/").last ?? "")"
        case let .command(argv):
            return argv.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: " ")
        case let .restartInPlace(c): return "stop + start \(c)"
        case .unsupported: return "unsupported"
        }
    }

    static let deploy = DrillScenario.builtIn.filter { $0.action.operation != nil }

    func testEveryDeployScenarioOnEverySeedTopology() throws {
        var lines: [String] = []
        for stem in Self.stems {
            let t = try DrillFixture.topology(stem)
            lines += Self.deploy.map { "\(stem) \($0.name): \(Self.outcome($0, t))" }
        }
        XCTAssertEqual(Self.matrix.keys.sorted(), Self.stems)
        let expected = Self.stems.flatMap { stem in (Self.matrix[stem] ?? []).map { "\(stem) \($0)" } }
        if ProcessInfo.processInfo.environment["PRINT_DEPLOY_MATRIX"] != nil { print(lines.joined(separator: "\n")) }
        XCTAssertEqual(lines.count, expected.count)
        for (g, e) in zip(lines, expected) { XCTAssertEqual(g, e) }
    }

    static let stems = [
        "apache-mod-wsgi", "gunicorn", "lighttpd-flup", "nginx-flup", "nginx-gunicorn",
        "nginx-gunicorn-supervisord", "nginx-pool", "nginx-uwsgi", "nginx-uwsgi-supervisord", "uwsgi",
        "waitress", "werkzeug",
    ]

    static let matrix: [String: [String]] = [
        "apache-mod-wsgi": [
            "reload-app: front master (pid 1001) | signal 10 to front root ×1 | watch front,app",
            "reload-front: front master (pid 1001) | signal 10 to front root ×1 | watch front",
            "restart-app: front | stop + start front | watch front,app",
            "deploy: front master (pid 1001) | bump, signal 10 to front root ×1 | watch front,app",
            "scale-up: REFUSED mod_wsgi's daemon count is fixed by WSGIDaemonProcess processes=",
            "scale-down: REFUSED mod_wsgi's daemon count is fixed by WSGIDaemonProcess processes=",
            "recycle: front master (pid 1001) | signal 10 to front root ×1 | watch front,app | recycle conf/front/httpd.conf, count 'Maximum requests reached' in logs/front.error.log",
        ],
        "gunicorn": [
            "reload-app: app master (pid 1001) | signal 1 to app root ×1 | watch app",
            "reload-front: REFUSED the front door of gunicorn is the app server 'app' (gunicorn): there is no front server to reload; use reload-app",
            "restart-app: app | stop + start app | watch app",
            "deploy: app master (pid 1001) | bump, signal 1 to app root ×1 | watch app",
            "scale-up: app master (pid 1001) | signal 21 to app root ×1 | watch app",
            "scale-down: app master (pid 1001) | signal 22 to app root ×1 | watch app",
            "recycle: app master (pid 1001) | signal 1 to app root ×1 | watch app | recycle conf/app/gunicorn.conf.py, count 'Autorestarting worker after current request' in logs/app.out",
        ],
        "lighttpd-flup": [
            "reload-app: REFUSED flup has no reload: only a restart",
            "reload-front: front master (pid 1001) | signal 10 to front root ×1 | watch front",
            "restart-app: front | stop + start front | watch front,app",
            "deploy: REFUSED flup has no reload: only a restart",
            "scale-up: REFUSED flup's process count is fixed at start",
            "scale-down: REFUSED flup's process count is fixed at start",
            "recycle: REFUSED flup has no max-requests: its processes never recycle",
        ],
        "nginx-flup": [
            "reload-app: REFUSED flup has no reload: only a restart",
            "reload-front: front master (pid 1004) | signal 1 to front root ×1 | watch front",
            "restart-app: app | stop + start app | watch app",
            "deploy: REFUSED flup has no reload: only a restart",
            "scale-up: REFUSED flup's process count is fixed at start",
            "scale-down: REFUSED flup's process count is fixed at start",
            "recycle: REFUSED flup has no max-requests: its processes never recycle",
        ],
        "nginx-gunicorn": [
            "reload-app: app master (pid 1001) | signal 1 to app root ×1 | watch app",
            "reload-front: front master (pid 1004) | signal 1 to front root ×1 | watch front",
            "restart-app: app | stop + start app | watch app",
            "deploy: app master (pid 1001) | bump, signal 1 to app root ×1 | watch app",
            "scale-up: app master (pid 1001) | signal 21 to app root ×1 | watch app",
            "scale-down: app master (pid 1001) | signal 22 to app root ×1 | watch app",
            "recycle: app master (pid 1001) | signal 1 to app root ×1 | watch app | recycle conf/app/gunicorn.conf.py, count 'Autorestarting worker after current request' in logs/app.out",
        ],
        "nginx-gunicorn-supervisord": [
            "reload-app: app | supervisorctl -c supervisord.conf signal HUP app | watch app",
            "reload-front: front | supervisorctl -c supervisord.conf signal HUP front | watch front",
            "restart-app: app | supervisorctl -c supervisord.conf restart app | watch app",
            "deploy: app | bump, supervisorctl -c supervisord.conf signal HUP app | watch app",
            "scale-up: app master (pid 1002) | signal 21 to app root ×1 | watch app",
            "scale-down: app master (pid 1002) | signal 22 to app root ×1 | watch app",
            "recycle: app | supervisorctl -c supervisord.conf signal HUP app | watch app | recycle conf/app/gunicorn.conf.py, count 'Autorestarting worker after current request' in logs/app.out",
        ],
        "nginx-pool": [
            "reload-app: gunicorn master (pid 1001) | signal 1 to gunicorn root ×1 | watch gunicorn",
            "reload-front: front master (pid 1007) | signal 1 to front root ×1 | watch front",
            "restart-app: gunicorn | stop + start gunicorn | watch gunicorn",
            "deploy: gunicorn master (pid 1001) | bump, signal 1 to gunicorn root ×1 + uwsgi fifo 'r' uwsgi.fifo | watch gunicorn,uwsgi",
            "scale-up: gunicorn master (pid 1001) | signal 21 to gunicorn root ×1 | watch gunicorn",
            "scale-down: gunicorn master (pid 1001) | signal 22 to gunicorn root ×1 | watch gunicorn",
            "recycle: REFUSED front balances a pool of 2 app servers (gunicorn (gunicorn), uwsgi (uwsgi)), and recycle measures one server's recycling (its config, its log line, its workers): recycling only the first would leave the others unrecycled in the same windows; name one in a scenario file (action: recycle, target: gunicorn)",
        ],
        "nginx-uwsgi": [
            "reload-app: app | fifo 'r' app.fifo | watch app",
            "reload-front: front master (pid 1004) | signal 1 to front root ×1 | watch front",
            "restart-app: app | stop + start app | watch app",
            "deploy: app | bump, fifo 'r' app.fifo | watch app",
            "scale-up: app | fifo '+' app.fifo | watch app",
            "scale-down: app | fifo '-' app.fifo | watch app",
            "recycle: app | fifo 'r' app.fifo | watch app | recycle conf/app/uwsgi.ini, count 'The work of process' in logs/app.log",
        ],
        "nginx-uwsgi-supervisord": [
            "reload-app: app | fifo 'r' app.fifo | watch app",
            "reload-front: front | supervisorctl -c supervisord.conf signal HUP front | watch front",
            "restart-app: app | supervisorctl -c supervisord.conf restart app | watch app",
            "deploy: app | bump, fifo 'r' app.fifo | watch app",
            "scale-up: app | fifo '+' app.fifo | watch app",
            "scale-down: app | fifo '-' app.fifo | watch app",
            "recycle: app | fifo 'r' app.fifo | watch app | recycle conf/app/uwsgi.ini, count 'The work of process' in logs/app.log",
        ],
        "uwsgi": [
            "reload-app: app | fifo 'r' app.fifo | watch app",
            "reload-front: REFUSED the front door of uwsgi is the app server 'app' (uwsgi): there is no front server to reload; use reload-app",
            "restart-app: app | stop + start app | watch app",
            "deploy: app | bump, fifo 'r' app.fifo | watch app",
            "scale-up: app | fifo '+' app.fifo | watch app",
            "scale-down: app | fifo '-' app.fifo | watch app",
            "recycle: app | fifo 'r' app.fifo | watch app | recycle conf/app/uwsgi.ini, count 'The work of process' in logs/app.log",
        ],
        "waitress": [
            "reload-app: REFUSED waitress has no reload: only a restart (which drops the requests in flight)",
            "reload-front: REFUSED the front door of waitress is the app server 'app' (waitress): there is no front server to reload; use reload-app",
            "restart-app: app | stop + start app | watch app",
            "deploy: REFUSED waitress has no reload: only a restart (which drops the requests in flight)",
            "scale-up: REFUSED waitress is one process with a fixed thread pool",
            "scale-down: REFUSED waitress is one process with a fixed thread pool",
            "recycle: REFUSED waitress has no max-requests: its one process never recycles",
        ],
        "werkzeug": [
            "reload-app: REFUSED the Werkzeug dev server has no reload signal: only a restart",
            "reload-front: REFUSED the front door of werkzeug is the app server 'app' (werkzeug): there is no front server to reload; use reload-app",
            "restart-app: app | stop + start app | watch app",
            "deploy: REFUSED the Werkzeug dev server has no reload signal: only a restart",
            "scale-up: REFUSED the Werkzeug dev server is one process",
            "scale-down: REFUSED the Werkzeug dev server is one process",
            "recycle: REFUSED the Werkzeug dev server has no max-requests: its one process never recycles",
        ],
    ]
}
