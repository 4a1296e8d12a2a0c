import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// One run of the built `stacktop drill …` or `stacktop compare …` for the drill tests: started
/// in its own session, stdout (JSON Lines) and stderr (progress) read back from files.
final class DrillRunProcess {
    typealias JSON = [String: Any]

    let dir: String
    let stdoutPath: String
    let stderrPath: String
    let child: ChildProcess
    /// Its exit status once `wait` saw it.
    private(set) var status: ChildProcess.ExitStatus?

    /// Starts `stacktop ARGS`; skips when a program the stack needs is missing.
    init(_ args: [String]) throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable, "swift test builds the stacktop executable")
        dir = "/tmp/stacktop-drill-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        mkdir(dir, 0o755)
        stdoutPath = dir + "/stdout"
        stderrPath = dir + "/stderr"
        let out = open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let err = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(out); close(err) }
        let env = ["PATH": "/usr/bin:/bin", "STACKTOP_HOME": TestProject.root, "LANG": "C.UTF-8"]
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: [exe] + args, environment: env, workingDirectory: TestProject.root,
                stdoutFD: out, stderrFD: err, newSession: true))
        child = ChildProcess(pid: pid, startTimeTicks: 0)
    }

    deinit {
        if status == nil, child.poll() == nil {
            _ = child.send(SIGKILL)
            _ = child.wait(timeoutMs: 2000)
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Every complete JSON line on stdout so far.
    func lines() -> [JSON] {
        let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? JSON
        }
    }

    func lines(_ type: String) -> [JSON] { lines().filter { $0["type"] as? String == type } }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits up to `timeoutMs` for the process to exit; its exit code (nil: still running).
    @discardableResult
    func wait(timeoutMs: Int) -> Int32? {
        if status == nil { status = child.wait(timeoutMs: timeoutMs) }
        if case let .exited(code) = status { return code }
        return status == nil ? nil : -1
    }

    /// The `drill` line(s) printed so far.
    var reports: [JSON] { lines("drill") }

    /// Pid and role of `spawned` events, with their ppid.
    func spawned() -> [(pid: Int32, ppid: Int32?, component: String, role: String)] {
        lines("spawned").compactMap { e in
            guard let pid = e["pid"] as? Int, let c = e["component"] as? String, let r = e["role"] as? String else {
                return nil
            }
            return (Int32(pid), (e["ppid"] as? Int).map(Int32.init), c, r)
        }
    }

    /// A count object (`{"502": 3}`) as a dictionary.
    static func counts(_ value: Any?) -> [String: Int] { (value as? [String: Int]) ?? [:] }
}
