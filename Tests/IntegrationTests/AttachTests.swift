import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// `stacktop attach` on deploys started without stacktop: the pids it reports are the deploy's
/// (by session, from /proc), a worker killed from outside shows as exited and replaced, request
/// counts equal the access log's new lines, and every process runs on with the same pid after
/// stacktop exits.
final class AttachTests: XCTestCase {
    var deploy: HandDeploy!
    var run: UpRun?

    override func setUp() { deploy = HandDeploy() }
    override func tearDown() {
        run?.cleanUp()
        deploy.tearDown()
    }

    func testNginxGunicornUnixSocketUnderSupervisord() throws {
        let port = try deploy.nginxGunicornUnderSupervisord()
        XCTAssert(deploy.waitUntilServing(port: port), "the hand-started deploy never served on :\(port)")
        // supervisord, nginx master + 2 workers, gunicorn arbiter + 2 workers.
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 7 }, "\(deploy.processes)")
        try attachAndCheck(
            port: port, accessLog: deploy.dir + "/nginx-access.log", component: "nginx",
            expectRoles: ["supervisord": "supervisor", "nginx": "front", "gunicorn": "master"], app: "gunicorn")
    }

    func testGunicornAlone() throws {
        let port = try deploy.gunicornAlone()
        XCTAssert(deploy.waitUntilServing(port: port), "gunicorn never served on :\(port)")
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 3 }, "\(deploy.processes)")
        try attachAndCheck(
            port: port, accessLog: deploy.dir + "/logs/access.log", component: "gunicorn",
            expectRoles: ["gunicorn": "master"], app: "gunicorn")
    }

    func testNginxUWSGIOverTheUwsgiProtocol() throws {
        let port = try deploy.nginxUWSGI()
        XCTAssert(deploy.waitUntilServing(port: port), "nginx + uWSGI never served on :\(port)")
        // nginx master + 2 workers, uWSGI master + 2 workers.
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 6 }, "\(deploy.processes)")
        try attachAndCheck(
            port: port, accessLog: deploy.dir + "/nginx-access.log", component: "nginx",
            expectRoles: ["nginx": "front", "uwsgi": "master"], app: "uwsgi")
    }

    func testApacheModWSGIDaemonMode() throws {
        let port = try deploy.apacheModWSGI()
        XCTAssert(deploy.waitUntilServing(port: port), "Apache + mod_wsgi never served on :\(port)")
        // Apache's parent, one MPM child, two mod_wsgi daemons.
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 4 }, "\(deploy.processes)")
        try attachAndCheck(
            port: port, accessLog: deploy.dir + "/logs/access.log", component: "apache",
            expectRoles: ["apache": "front"], app: "mod_wsgi")
    }

    func testLighttpdSpawningFlupBackends() throws {
        let port = try deploy.lighttpdFlup()
        XCTAssert(deploy.waitUntilServing(port: port), "lighttpd + flup never served on :\(port)")
        // lighttpd and the two backends it spawned.
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { deploy.processes.count == 3 }, "\(deploy.processes)")
        try attachAndCheck(
            port: port, accessLog: deploy.dir + "/logs/access.log", component: "lighttpd",
            expectRoles: ["lighttpd": "front"], app: "flup")
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
        try deploy.write("nginx.conf", "http { server {\n")  // broken after nginx started
        let bad = try UpRun(["attach", ":\(port)", "--json", "--for", "1"])
        run = bad
        XCTAssertEqual(bad.process.wait(timeoutMs: 20_000), .exited(2))
        XCTAssert(bad.stderr.contains(":\(port): cannot read the configuration of nginx (pid "), bad.stderr)
        XCTAssert(bad.stderr.contains("nginx.conf"), bad.stderr)
        XCTAssertEqual(deploy.processes, before, "a failed attach touched the deploy")
    }
}
