import Foundation
import Glibc
import XCTest
import Runtime

/// `stacktop attach` on deploys started without stacktop: the pids it reports are the deploy's
/// (by session, from /proc), a worker killed from outside shows as exited and replaced, request
/// counts equal the access log's new lines, and every process runs on with the same pid after
/// stacktop exits.
final class AttachTests: XCTestCase {
    private var deploy: HandDeploy!
    private var run: UpRun?

    override func setUp() { deploy = HandDeploy() }
    override func tearDown() {
        run?.cleanUp()
        deploy.tearDown()
    }

    func testNginxGunicornUnixSocketUnderSupervisord() throws {
        let port = try deploy.nginxGunicornUnderSupervisord()
        XCTAssert(deploy.waitUntilServing(port: port), "the hand-started deploy never served on :\(port)")
        // supervisord, nginx master + 2 workers, gunicorn arbiter + 2 workers.
        XCTAssert(IntegrationSupport.eventually(timeoutMs: 10_000) { deploy.processes.count == 7 }, "\(deploy.processes)")
        try attachAndCheck(port: port, accessLog: deploy.dir + "/nginx-access.log", component: "nginx",
                           expectRoles: ["supervisord": "supervisor", "nginx": "front", "gunicorn": "master"])
    }

    func testGunicornAlone() throws {
        let port = try deploy.gunicornAlone()
        XCTAssert(deploy.waitUntilServing(port: port), "gunicorn never served on :\(port)")
        XCTAssert(IntegrationSupport.eventually(timeoutMs: 10_000) { deploy.processes.count == 3 }, "\(deploy.processes)")
        try attachAndCheck(port: port, accessLog: deploy.dir + "/logs/access.log", component: "gunicorn",
                           expectRoles: ["gunicorn": "master"])
    }

    func testBadTargetsSayWhatWasFound() throws {
        // A port nobody listens on.
        let port = try HandDeploy.freePort()
        var bad = try UpRun(["attach", ":\(port)", "--json", "--for", "1"])
        XCTAssertEqual(bad.process.wait(timeoutMs: 20_000), .exited(2))
        XCTAssert(bad.stderr.contains(":\(port): nothing listens on port \(port)"), bad.stderr)
        bad.cleanUp()
        // A pid that is not a web server.
        let sleeper = try deploy.start(["/bin/sleep", "60"], name: "sleep")
        bad = try UpRun(["attach", "\(sleeper)", "--json", "--for", "1"])
        XCTAssertEqual(bad.process.wait(timeoutMs: 20_000), .exited(2))
        XCTAssert(bad.stderr.contains("pid \(sleeper) (/bin/sleep 60) is not a web server stacktop knows"), bad.stderr)
        bad.cleanUp()
        // Not a target at all.
        bad = try UpRun(["attach", "nginx", "--json"])
        XCTAssertEqual(bad.process.wait(timeoutMs: 20_000), .exited(2))
        XCTAssert(bad.stderr.contains("nginx: not a target"), bad.stderr)
        bad.cleanUp()
    }

    func testNginxWhoseConfigCannotBeReadIsNamed() throws {
        let port = try deploy.nginxAlone()
        XCTAssert(deploy.waitUntilServing(port: port), "nginx never served on :\(port)")
        let before = deploy.processes
        try deploy.write("nginx.conf", "http { server {\n")   // broken after nginx started
        let bad = try UpRun(["attach", ":\(port)", "--json", "--for", "1"])
        run = bad
        XCTAssertEqual(bad.process.wait(timeoutMs: 20_000), .exited(2))
        XCTAssert(bad.stderr.contains(":\(port): cannot read the configuration of nginx (pid "), bad.stderr)
        XCTAssert(bad.stderr.contains("nginx.conf"), bad.stderr)
        XCTAssertEqual(deploy.processes, before, "a failed attach touched the deploy")
    }

    // MARK: -

    /// Attaches for a few seconds; checks pids, roles, a worker killed from outside, the request
    /// count against the access log, and that the deploy is untouched after stacktop exits.
    private func attachAndCheck(port: Int, accessLog: String, component: String, expectRoles: [String: String]) throws {
        let before = deploy.processes
        let up = try UpRun(["attach", ":\(port)", "--json", "--for", "12"])
        run = up
        XCTAssert(up.waitFor("spawned", count: before.count, timeoutMs: 10_000), up.stdout + up.stderr)
        let spawned = up.events(ofType: "spawned")
        XCTAssertEqual(Set(spawned.compactMap { ($0["pid"] as? Int).map(Int32.init) }), Set(before.keys),
                       "pids shown ≠ the deploy's processes in /proc")
        for (name, role) in expectRoles {
            let roots = spawned.filter { $0["component"] as? String == name && $0["role"] as? String == role }
            XCTAssertEqual(roots.count, 1, "\(name) \(role): \(spawned)")
        }
        let workers = spawned.filter { $0["component"] as? String == component && $0["role"] as? String == "worker" }
        XCTAssertEqual(workers.count, 2, "\(spawned)")

        // A gunicorn worker killed from outside: exited, then replaced by its master.
        let gunicornWorker = try XCTUnwrap(spawned.first { $0["component"] as? String == "gunicorn" && $0["role"] as? String == "worker" }?["pid"] as? Int)
        XCTAssertEqual(kill(Int32(gunicornWorker), SIGKILL), 0)
        XCTAssert(up.waitFor("replaced", timeoutMs: 10_000), up.stdout)
        let exited = up.events(ofType: "exited").compactMap { $0["pid"] as? Int }
        XCTAssertEqual(exited, [gunicornWorker])
        let replaced = try XCTUnwrap(up.events(ofType: "replaced").first)
        XCTAssertEqual(replaced["old_pid"] as? Int, gunicornWorker)
        let newPid = try XCTUnwrap(replaced["new_pid"] as? Int)
        XCTAssertEqual(deploy.processes.keys.contains(Int32(newPid)), true, "the replacement is not in /proc")

        // Requests: counted from the access log, from the moment stacktop follows it (sent
        // after the kill: a worker killed right after answering may die before logging).
        XCTAssert(up.waitFor("traffic", timeoutMs: 10_000))
        let linesBefore = deploy.lines(accessLog)
        for _ in 0..<12 { XCTAssertEqual(LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/")?.status, 200) }


        XCTAssert(up.waitFor("detached", timeoutMs: 30_000), up.stdout + up.stderr)
        XCTAssertEqual(up.process.wait(timeoutMs: 10_000), .exited(0), up.stderr)
        let added = deploy.lines(accessLog) - linesBefore
        XCTAssertEqual(added, 12)
        let final = try XCTUnwrap(up.events(ofType: "traffic").first { $0["final"] as? Bool == true })
        let logs = try XCTUnwrap(final["logs"] as? [[String: Any]])
        let front = try XCTUnwrap(logs.first { $0["component"] as? String == component })
        XCTAssertEqual(front["requests"] as? Int, added, "requests counted ≠ access-log lines added")
        XCTAssertEqual(up.events.last?["type"] as? String, "detached")

        // Untouched: every process but the killed worker runs on, same pid and start time.
        var expected = before
        expected[Int32(gunicornWorker)] = nil
        let after = deploy.processes
        for (pid, start) in expected {
            XCTAssertEqual(after[pid], start, "pid \(pid) of the deploy did not survive stacktop's exit")
        }
        XCTAssertEqual(after.count, before.count, "\(after) vs \(before)")
    }
}
