import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// One `stacktop up … --json` run of the built binary for the flow tests: started in its own
/// session, its JSON Lines read back from a file, stopped with SIGINT (SIGKILL if it hangs).
final class FlowUpRun {
    typealias Event = [String: Any]

    let dir: String
    let output: String
    let child: ChildProcess

    /// Starts `stacktop ARGS`; skips when nginx or the venv's gunicorn is missing.
    init(_ args: [String]) throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable, "swift test builds the stacktop executable")
        let gunicorn = IntegrationSupport.paths.venv + "/bin/gunicorn"
        for program in ["/usr/sbin/nginx", gunicorn] where access(program, X_OK) != 0 {
            throw XCTSkip("nginx-gunicorn needs \(program), which is not installed (run scripts/install-components)")
        }
        dir = "/tmp/stacktop-flow-\(getpid())-\(UUID().uuidString.prefix(8))"
        mkdir(dir, 0o755)
        output = dir + "/up.jsonl"
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(fd) }
        let env = ["PATH": "/usr/bin:/bin", "STACKTOP_HOME": TestProject.root, "LANG": "C.UTF-8"]
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: [exe] + args, environment: env, workingDirectory: TestProject.root,
                stdoutFD: fd, stderrFD: fd, newSession: true))
        child = ChildProcess(pid: pid, startTimeTicks: 0)
    }

    deinit {
        if child.poll() == nil {
            _ = child.send(SIGKILL)
            _ = child.wait(timeoutMs: 2000)
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Every complete JSON line written so far.
    func events() -> [Event] {
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? Event
        }
    }

    /// Events of one `type`.
    func events(_ type: String) -> [Event] { events().filter { $0["type"] as? String == type } }

    /// Waits up to `timeoutMs` for `condition` over the events so far.
    func wait(timeoutMs: Int = 20_000, _ condition: ([Event]) -> Bool) -> Bool {
        TestProject.eventually(timeoutMs: timeoutMs) { condition(events()) }
    }

    /// Waits for every component to be ready; returns the front door's port.
    func waitReady(components: Int) throws -> Int {
        let ready = wait { $0.filter { $0["type"] as? String == "ready" }.count >= components }
        XCTAssertTrue(ready, "not ready: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
        let url = try XCTUnwrap(events("stack").first?["url"] as? String)
        return try XCTUnwrap(IntegrationSupport.port(of: url))
    }

    var runDir: String? { events("stack").first?["run_dir"] as? String }

    /// Pids of `spawned` events of `component` with `role`.
    /// Waits up to `timeoutMs` until the watcher has reported a `spawned` event for `role` in
    /// `component` (its first scan may come just after the `ready` events); returns the pids.
    func waitSpawned(_ component: String, role: String, timeoutMs: Int = 5_000) -> [Int32] {
        _ = wait(timeoutMs: timeoutMs) { _ in !spawned(component, role: role).isEmpty }
        return spawned(component, role: role)
    }

    func spawned(_ component: String, role: String) -> [Int32] {
        events("spawned").filter { $0["component"] as? String == component && $0["role"] as? String == role }
            .compactMap { ($0["pid"] as? Int).map(Int32.init) }
    }

    /// Per-second `traffic` events (not the final one).
    func seconds() -> [Event] { events("traffic").filter { $0["final"] as? Bool != true } }

    /// SIGINT, then waits for the exit; returns the final `traffic` event.
    func stop() throws -> Event {
        XCTAssertTrue(child.send(SIGINT))
        XCTAssertEqual(child.wait(timeoutMs: 20_000), .exited(0))
        let all = events()
        XCTAssertEqual(all.last?["type"] as? String, "stopped", "stopped is the last event")
        XCTAssertEqual(all.dropLast().last?["type"] as? String, "traffic", "the totals come right before stopped")
        return try XCTUnwrap(all.last { $0["type"] as? String == "traffic" && $0["final"] as? Bool == true })
    }

    /// A count object (`{"200": 5}`) as a dictionary.
    static func counts(_ value: Any?) -> [String: Int] { (value as? [String: Int]) ?? [:] }

    /// The log object of `component` in a `traffic` event.
    static func log(_ event: Event, _ component: String) -> Event? {
        (event["logs"] as? [Event])?.first { $0["component"] as? String == component }
    }

    /// Sums the count objects under `key` over `events` (the per-second view of the whole run).
    static func sum(_ events: [Event], _ key: String, log component: String? = nil) -> [String: Int] {
        var total: [String: Int] = [:]
        for e in events {
            let source = component.map { log(e, $0)?[key] } ?? e[key]
            for (k, v) in counts(source) { total[k, default: 0] += v }
        }
        return total
    }
}
