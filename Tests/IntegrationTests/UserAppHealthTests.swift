import Foundation
import Glibc
import Runtime
import StackRecipes
import Supervision
import XCTest
import TestSupport

/// A user's own app without a `/health` route: stacktop probes the topology's `app.health`
/// (default `/`), finds the stack healthy, and its probes leave no 404 in any access log.
final class UserAppHealthTests: XCTestCase {
    /// A WSGI app that knows `/` and `/ping` only; anything else is a 404.
    static let app = """
        def app(environ, start_response):
            if environ["PATH_INFO"] in ("/", "/ping"):
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"hello\\n"]
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such page\\n"]
        """

    func testAUserAppWithoutAHealthRouteIsHealthyAndProbesLeaveNo404s() throws {
        let lines = try probeLines(health: nil)
        XCTAssertTrue(lines.allSatisfy { $0.contains(#"request="GET / "#) }, lines.joined(separator: "\n"))
    }

    func testAnExplicitHealthPathIsTheOneProbed() throws {
        let lines = try probeLines(health: "/ping")
        XCTAssertTrue(lines.allSatisfy { $0.contains(#"request="GET /ping "#) }, lines.joined(separator: "\n"))
    }

    /// Launches nginx + gunicorn on the app above (with `health:` if given), waits for the
    /// front door to be reported healthy and for several probes, and returns both access logs'
    /// lines after checking that none of them is a 404.
    private func probeLines(health: String?, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacktop-health-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.app.write(toFile: dir + "/plainapp.py", atomically: true, encoding: .utf8)
        let venv = TestProject.root + "/.venv"
        try """
        description: a user app without a /health route, behind nginx
        app:
          module: plainapp:app
          dir: .
          venv: \(venv)
        \(health.map { "  health: \($0)\n" } ?? "")components:
          front:
            server: nginx
            upstream: [app]
          app:
            server: gunicorn
            workers: 2
            listen: unix
        """.write(toFile: dir + "/mine.yaml", atomically: true, encoding: .utf8)
        var settings = StackWatcher.Settings()
        settings.healthIntervalMs = 100
        let run = try WatchedRun(dir + "/mine.yaml", settings: settings)
        defer { run.stop() }
        XCTAssertEqual(run.stack.plan.healthPath, health ?? "/", file: file, line: line)
        let logs = run.stack.plan.processes.compactMap { spec in spec.accessLog.map { run.context.runDir + "/" + $0 } }
        XCTAssertEqual(logs.count, 2, "nginx's and gunicorn's access logs", file: file, line: line)
        func read(_ path: String) -> [String] {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        // At least five probes reached the app through the front door.
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 10_000) { logs.allSatisfy { read($0).count >= 5 } },
            "probes in the access logs: \(logs.map { read($0).count })", file: file, line: line)
        let front = run.events.all.first { e in
            if case let .health(hop, _, _) = e.kind { return hop == "front door" } else { return false }
        }
        guard case let .health(_, answering, detail)? = front?.kind else {
            XCTFail("no health event for the front door", file: file, line: line)
            return []
        }
        XCTAssertTrue(answering, detail, file: file, line: line)
        XCTAssertTrue(detail.hasPrefix("200 in "), detail, file: file, line: line)
        let lines = logs.flatMap(read)
        XCTAssertEqual(lines.filter { $0.contains("status=404") }, [], "no probe got a 404", file: file, line: line)
        return lines
    }
}
