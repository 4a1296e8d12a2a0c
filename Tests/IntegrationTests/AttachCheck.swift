import Foundation
import Glibc
import XCTest
import Runtime

extension AttachTests {
    /// Attaches for a few seconds; checks pids, roles, a worker of `app` killed from outside, the request
    /// count against the access log, and that the deploy is untouched after stacktop exits.
    func attachAndCheck(
        port: Int, accessLog: String, component: String, expectRoles: [String: String],
        app: String
    ) throws {
        let before = deploy.processes
        let up = try UpRun(["attach", ":\(port)", "--json", "--for", "12"])
        run = up
        XCTAssert(up.waitFor("spawned", count: before.count, timeoutMs: 10_000), up.stdout + up.stderr)
        let spawned = up.events(ofType: "spawned")
        XCTAssertEqual(
            Set(spawned.compactMap { ($0["pid"] as? Int).map(Int32.init) }), Set(before.keys),
            "pids shown ≠ the deploy's processes in /proc")
        for (name, role) in expectRoles {
            let roots = spawned.filter { $0["component"] as? String == name && $0["role"] as? String == role }
            XCTAssertEqual(roots.count, 1, "\(name) \(role): \(spawned)")
        }
        let workers = spawned.filter { $0["component"] as? String == app && $0["role"] as? String == "worker" }
        XCTAssertEqual(workers.count, 2, "\(spawned)")

        // An app worker killed from outside: exited, then replaced by its master.
        let gunicornWorker = try XCTUnwrap(
            spawned.first { $0["component"] as? String == app && $0["role"] as? String == "worker" }?["pid"] as? Int)
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
        for _ in 0..<12 {
            XCTAssertEqual(LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/")?.status, 200)
        }

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
