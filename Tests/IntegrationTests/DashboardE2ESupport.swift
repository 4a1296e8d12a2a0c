import Foundation
import Glibc
import Runtime
import XCTest
import TestSupport

/// One detached tmux session on a private socket running a program at 120×40; kills only itself.
struct TmuxPane {
    let tmux: String
    let socket: String
    let session = "e2e"

    /// Starts `exe args` in a new session (the pane stays after the program exits, to read its
    /// status). `tag` gives a test its own tmux server (so one test's server shutting down never
    /// meets the next test's start). Skips the test when tmux is not installed.
    static func start(exe: String, args: [String], tag: String = "") throws -> TmuxPane {
        let candidates = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        guard let tmux = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw XCTSkip("tmux is not installed (make test installs it)") }
        let pane = TmuxPane(tmux: tmux, socket: "stacktop-test-\(getpid())" + (tag.isEmpty ? "" : "-" + tag))
        let root = TestProject.root
        // The first command starts the private server, which must not inherit a pipe of ours.
        pane.quiet([
            "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-s", pane.session, "-c", root,
            "sleep 600",
        ])
        pane.quiet(["set-option", "-w", "-t", pane.target, "remain-on-exit", "on"])
        pane.quiet(["set-option", "-t", pane.target, "default-terminal", "tmux-256color"])
        // A shell runs the program and then prints its exit status (tmux's pane_dead_status
        // stays empty for a clean exit); exe and args reach it as positional parameters.
        let script = "\"$0\" \"$@\"; echo \"stacktop exited with status $?\""
        pane.quiet(["respawn-pane", "-k", "-t", pane.target, "-c", root, "/bin/sh", "-c", script, exe] + args)
        return pane
    }

    var target: String { "=\(session):" }

    /// The screen as text (with up to `history` lines of scrollback above it).
    func capture(history: Int = 0) -> String {
        run(["capture-pane", "-p", "-t", target] + (history > 0 ? ["-S", "-\(history)"] : []))
    }

    /// Sends one key (`Down`, `K`, `q`).
    func keys(_ key: String) { quiet(["send-keys", "-t", target, key]) }

    func paneDead() -> Bool { format("#{pane_dead}") == "1" }

    /// The status the pane's shell printed after stacktop exited.
    func exitStatus() -> Int? {
        guard let line = ScreenText.line(capture(history: 200), containing: "stacktop exited with status ") else {
            return nil
        }
        return Int(line.split(separator: " ").last ?? "")
    }

    /// Presses q, waits up to `exitMs` for stacktop to exit, then up to `statusMs` for the status
    /// the pane's shell prints: whether it exited, and that status.
    func quit(exitMs: Int = 20_000, statusMs: Int = 10_000) -> (exited: Bool, status: Int?) {
        keys("q")
        let exited = TestProject.eventually(timeoutMs: exitMs) { paneDead() }
        var status: Int?
        _ = TestProject.eventually(timeoutMs: statusMs) {
            status = exitStatus()
            return status != nil
        }
        return (exited, status)
    }

    /// The pid of the stacktop process in the pane.
    func stacktopPid() -> Int32? {
        guard let pane = Int32(format("#{pane_pid}")) else { return nil }
        return ([pane] + ProcScan.liveChildren(of: pane)).first { ProcScan.name($0) == "stacktop" }
    }

    /// Ends the session (and with it this private server); a stacktop still running gets SIGHUP.
    func kill() { quiet(["kill-session", "-t", "=\(session)"]) }

    private func format(_ f: String) -> String {
        run(["list-panes", "-t", target, "-F", f]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a tmux command whose output is not needed (nothing of ours leaks into the server).
    func quiet(_ args: [String]) { _ = spawn(args, output: false) }

    /// Runs a tmux command and returns its standard output.
    @discardableResult
    func run(_ args: [String]) -> String { spawn(args, output: true) }

    /// Spawns tmux and waits for it with waitpid (Foundation's Process missed exits here).
    private func spawn(_ args: [String], output: Bool) -> String {
        var fds: [Int32] = [-1, -1]
        if output { guard pipe(&fds) == 0 else { return "" } }
        let request = SpawnRequest(
            argv: [tmux, "-L", socket] + args, environment: ProcessInfo.processInfo.environment,
            stdoutFD: output ? fds[1] : nil)
        let pid = try? ProcessSpawner().spawn(request)
        if output { close(fds[1]) }
        var text: [UInt8] = []
        if output {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                text += buffer[0..<n]
            }
            close(fds[0])
        }
        if let pid {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Reads the dashboard's screen text: worker table rows, the selection, timeline lines.
enum ScreenText {
    /// Pids of the worker table's rows for `component` and `role` ("master", "└worker"), in order.
    static func rows(_ screen: String, component: String, role: String) -> [Int32] {
        screen.split(separator: "\n").compactMap { line in
            let words = line.dropFirst().split(separator: " ")
            guard words.count >= 4, words[0] == component, words[1] == role, words[3] == "up" else { return nil }
            return Int32(words[2])
        }
    }

    /// The pid in the table title's "selected: COMPONENT ROLE PID".
    static func selectedPid(_ screen: String) -> Int32? {
        guard let range = screen.range(of: "selected: ") else { return nil }
        let words = screen[range.upperBound...].prefix { $0 != "\n" && $0 != "─" }.split(separator: " ")
        return words.last.flatMap { Int32($0) }
    }

    static func line(_ screen: String, containing text: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    /// The new pid of "app worker OLD → NEW after N ms".
    static func replacement(_ screen: String, of old: Int32) -> Int32? {
        guard let line = line(screen, containing: "worker \(old) → "),
            let arrow = line.range(of: "\(old) → ")
        else { return nil }
        return Int32(line[arrow.upperBound...].prefix { $0.isNumber })
    }
}

/// What /proc says, independently of stacktop.
enum ProcScan {
    static func stat(_ pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Index 0 is field 3 (state).
        return text[text.index(after: close)...].split(separator: " ")
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let fields = stat(pid), let state = fields.first else { return false }
        return state != "Z" && state != "X"
    }

    static func parent(of pid: Int32) -> Int32? { stat(pid).flatMap { Int32($0[1]) } }

    static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    /// The program name (/proc/PID/comm).
    static func name(_ pid: Int32) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    static func allPids() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func liveChildren(of parent: Int32) -> Set<Int32> {
        Set(allPids().filter { self.parent(of: $0) == parent && isAlive($0) })
    }

    /// Live processes whose command line names `path`.
    static func processes(mentioning path: String) -> [Int32] {
        allPids().filter { $0 != getpid() && isAlive($0) && commandLine($0).contains(path) }
    }

    /// The run dir stacktop `pid` made for `topology` (`<topology>-<stamp>-<pid>`), if any.
    static func runDir(topology: String, pid: Int32) -> String? {
        let base = "/tmp/stacktop-runs"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return names.first { $0.hasPrefix(topology + "-2") && $0.hasSuffix("-\(pid)") }.map { base + "/" + $0 }
    }
}
