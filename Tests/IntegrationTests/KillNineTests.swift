import XCTest
import Glibc
import Runtime
import TestSupport

/// `stacktop up` killed with SIGKILL: its reaper must leave nothing of the stack alive.
final class KillNineTests: XCTestCase {
    func testSigkillOfStacktopUpLeavesNothingBehind() throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable, "swift test builds the stacktop executable")
        for program in ["/usr/sbin/nginx"] where access(program, X_OK) != 0 {
            throw XCTSkip("nginx-gunicorn needs \(program), which is not installed (run scripts/install-components)")
        }
        let dir = "/tmp/stacktop-killnine-\(getpid())"
        mkdir(dir, 0o755)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/up.jsonl"
        let fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(fd) }
        var env = ["PATH": "/usr/bin:/bin", "STACKTOP_HOME": TestProject.root]
        let gunicorn = IntegrationSupport.paths.venv + "/bin/gunicorn"
        if access(gunicorn, X_OK) != 0 {
            throw XCTSkip("nginx-gunicorn needs \(gunicorn), which is not installed (run scripts/install-components)")
        }
        env["LANG"] = "C.UTF-8"
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: [exe, "up", "nginx-gunicorn", "--for", "30", "--json"], environment: env,
                workingDirectory: TestProject.root, stdoutFD: fd, stderrFD: fd, newSession: true))
        let up = ChildProcess(pid: pid, startTimeTicks: 0)
        defer { if up.poll() == nil { up.send(SIGKILL); _ = up.wait(timeoutMs: 1000) } }

        // Ready = two ready events (app, front); their starting events carry the session ids.
        var lines: [String] = []
        let ready = TestProject.eventually(timeoutMs: 20_000) {
            lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            return lines.filter { $0.contains("\"type\":\"ready\"") }.count == 2
        }
        XCTAssertTrue(ready, "not ready: \(lines)")
        let sessions = Set(
            lines.filter { $0.contains("\"type\":\"starting\"") }.compactMap { line -> Int32? in
                guard let r = line.range(of: "\"pid\":") else { return nil }
                return Int32(line[r.upperBound...].prefix { $0.isNumber })
            })
        XCTAssertEqual(sessions.count, 2)
        let url = lines.first { $0.contains("\"type\":\"stack\"") }.flatMap { line -> String? in
            guard let r = line.range(of: "\"url\":\"") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != "\"" })
        }
        let port = try XCTUnwrap(url.flatMap(IntegrationSupport.port(of:)))
        XCTAssertGreaterThan(IntegrationSupport.survivors(sessions).count, 2, "nginx and gunicorn masters and workers")

        XCTAssertTrue(up.send(SIGKILL))
        let clock = Stopwatch()
        XCTAssertEqual(up.wait(timeoutMs: 1000), .signaled(SIGKILL))
        let gone = TestProject.eventually(timeoutMs: 2000) { IntegrationSupport.survivors(sessions).isEmpty }
        let took = clock.elapsedMs
        print("kill -9 of stacktop up: stack gone after \(took) ms")
        XCTAssertTrue(gone, "left after 2 s: \(IntegrationSupport.survivors(sessions).map { "\($0.pid) \($0.comm)" })")
        XCTAssertNoThrow(try PortAllocator().checkFree(host: "127.0.0.1", port: port))
        _ = SessionSweeper().sweep(sessions: sessions)
    }
}
