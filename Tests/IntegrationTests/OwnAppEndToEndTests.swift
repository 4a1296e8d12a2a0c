import Foundation
import Glibc
import Installation
import XCTest
import Runtime
import TestSupport

/// A user's app in its own venv, outside the project, brought up the way the README's "Your own
/// app" section says: make a venv with Debian's python3, point a copy of a topology at the app,
/// `stacktop doctor TOPOLOGY --fix` installs the servers into that venv, `check` passes, `up`
/// serves it. Every stack must run the app with the user's venv (its sys.prefix), not the project's.
final class OwnAppEndToEndTests: XCTestCase {
    /// One stack per way the app gets loaded: gunicorn behind nginx, uWSGI behind nginx over the
    /// uwsgi protocol, mod_wsgi inside Apache, flup spawned by lighttpd.
    static let stacks = ["nginx-gunicorn", "nginx-uwsgi", "apache-mod-wsgi", "lighttpd-flup"]

    static let app = """
        import os, sys

        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain"),
                                      ("X-Prefix", sys.prefix), ("X-Pid", str(os.getpid()))])
            return [b"my own app\\n"]
        """

    func testAUsersAppInItsOwnVenvRunsOnRepresentativeStacks() async throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let scratch = Scratch()
        defer { scratch.remove() }
        let home = scratch.path + "/shop"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try Self.app.write(toFile: home + "/shop.py", atomically: true, encoding: .utf8)
        let venv = home + "/venv"
        let created = await InstallationCommand("/usr/bin/python3", ["-m", "venv", venv], timeout: 120).run()
        let made = try XCTUnwrap(created)
        XCTAssertEqual(made.status, 0, made.output)

        // Copies of the seed topologies beside the app: `module:` without `dir:` means this directory.
        var files: [String] = []
        for stack in Self.stacks {
            let seed = try String(
                contentsOfFile: IntegrationSupport.paths.topologies + "/\(stack).yaml", encoding: .utf8)
            let at = try XCTUnwrap(seed.range(of: "\ncomponents:"))
            let text =
                seed[..<at.lowerBound] + "\napp:\n  module: shop:application\n  venv: venv" + seed[at.lowerBound...]
            let file = home + "/\(stack).yaml"
            try String(text).write(toFile: file, atomically: true, encoding: .utf8)
            files.append(file)
        }

        // Before: check says what is missing from the user's venv, naming it.
        let before = try finished(["check", home + "/nginx-gunicorn.yaml"])
        XCTAssertEqual(before.status, .exited(1))
        XCTAssertTrue(before.run.stderr.contains("in the venv \(venv)"), before.run.stderr)

        // list TOPOLOGY looks in the user's venv too, and says how to fill it.
        let list = try finished(["list", home + "/lighttpd-flup.yaml", "--json"])
        XCTAssertEqual(list.status, .exited(0), list.run.stderr)
        XCTAssertTrue(list.run.stdout.contains("\"runnable\":false"), list.run.stdout)
        XCTAssertTrue(list.run.stdout.contains("\(venv)/bin/pip install flup==1.0.3"), list.run.stdout)

        // doctor --fix fills the venv (pip, pinned versions) for every stack that needs something.
        for file in files {
            let fix = try finished(["doctor", file, "--fix"], timeoutMs: 300_000)
            XCTAssertEqual(fix.status, .exited(0), "\(file): \(fix.run.stdout) \(fix.run.stderr)")
            XCTAssertTrue(fix.run.stdout.contains("venv: \(venv)"), fix.run.stdout)
        }
        let check = try finished(["check"] + files)
        XCTAssertEqual(check.status, .exited(0), check.run.stderr)

        let runs = try files.map { try UpRun(["up", $0, "--json", "--for", "90"]) }
        defer { for run in runs { run.cleanUp() } }
        for (stack, up) in zip(Self.stacks, runs) {
            XCTAssertTrue(up.waitFor("stack", timeoutMs: 60_000), "\(stack): \(up.stdout) \(up.stderr)")
            guard let url = up.url, let port = IntegrationSupport.port(of: url) else { continue }
            var response: LoopbackClient.Response?
            _ = TestProject.eventually(timeoutMs: 30_000) {
                response = LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/")
                return response?.status == 200
            }
            XCTAssertEqual(response?.status, 200, "\(stack): \(String(describing: response)) \(up.stdout)")
            // sys.prefix: the user's venv (or, for mod_wsgi when www-data could not read it, its
            // mirror in the run dir), never the project's .venv.
            let prefix = response?.headers["x-prefix"] ?? "-"
            XCTAssertTrue(prefix == venv || prefix.hasSuffix("/mirror/venv"), "\(stack): sys.prefix \(prefix)")
            XCTAssertNotEqual(prefix, IntegrationSupport.paths.venv, stack)
            let pid = Int32(response?.headers["x-pid"] ?? "") ?? 0
            XCTAssertTrue(
                StackResidue.pids(sessions: up.eventPids, runDir: up.runDir).contains(pid),
                "\(stack): pid \(pid) that answered is a process of the stack")
            print("\(stack): 200 from pid \(pid), sys.prefix \(prefix)")
        }
        for (stack, up) in zip(Self.stacks, runs) {
            // The front door answers before the launch has finished its own checks; a SIGINT
            // then is an interrupted launch (exit 1). The watcher's first `spawned` event comes
            // after the launch returned.
            XCTAssertTrue(up.waitFor("spawned", timeoutMs: 60_000), "\(stack): \(up.stdout)")
            _ = up.process.send(SIGINT)
            XCTAssertEqual(finish(up, stack), .exited(0), "\(stack): \(up.stderr)")
        }
    }

    /// Runs `stacktop ARGS` to its end.
    func finished(_ arguments: [String], timeoutMs: Int = 60_000) throws -> (
        run: UpRun, status: ChildProcess.ExitStatus?
    ) {
        let run = try UpRun(arguments)
        addTeardownBlock { run.cleanUp() }
        return (run, run.process.wait(timeoutMs: timeoutMs))
    }
}
