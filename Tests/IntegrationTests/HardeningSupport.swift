import Foundation
import Glibc
import XCTest
import Runtime
import StackRecipes
import TestSupport

/// One `stacktop up` run as a child process of the test: its JSON Lines events, stdout, stderr
/// and exit status, through the built CLI only.
final class UpRun {
    let process: ChildProcess
    let directory: String
    var pid: Int32 { process.pid }
    private var outPath: String { directory + "/stdout" }
    private var errPath: String { directory + "/stderr" }

    /// Starts `stacktop ARGS` in its own session with a minimal environment plus `extra`.
    /// Output goes to files in a fresh directory (removed by `cleanUp`).
    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable, "swift test builds the stacktop executable")
        directory = "/tmp/stacktop-harden-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(directory, 0o755)
        let out = open(directory + "/stdout", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let err = open(directory + "/stderr", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(out); close(err) }
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "STACKTOP_HOME": TestProject.root]
        env.merge(extra) { _, new in new }
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: [exe] + arguments, environment: env, workingDirectory: TestProject.root,
                stdoutFD: out, stderrFD: err, newSession: true))
        process = ChildProcess(pid: pid, startTimeTicks: 0)
    }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// The JSON events printed so far (a partly written last line is left out).
    var events: [[String: Any]] {
        stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    func events(ofType type: String) -> [[String: Any]] { events.filter { $0["type"] as? String == type } }

    /// Waits until `count` events of `type` were printed or stacktop exited.
    @discardableResult
    func waitFor(_ type: String, count: Int = 1, timeoutMs: Int) -> Bool {
        TestProject.eventually(timeoutMs: timeoutMs) {
            events(ofType: type).count >= count || process.hasExited
        } && events(ofType: type).count >= count
    }

    /// The run dir from the `stack` event.
    var runDir: String? { events(ofType: "stack").first?["run_dir"] as? String }
    var url: String? { events(ofType: "stack").first?["url"] as? String }
    /// The pids of `starting` and `ready` events: roots of the stack's sessions and hosted roots.
    var eventPids: Set<Int32> {
        Set(
            events.filter { ["starting", "ready"].contains($0["type"] as? String) }
                .compactMap { ($0["pid"] as? Int).map(Int32.init) })
    }

    /// The `stacktop _reap` child of this stacktop, if it is alive now.
    var reaperPid: Int32? {
        let table = LinuxProcessTable()
        return table.snapshot().first {
            $0.ppid == pid && !$0.isDead && (table.commandLine(of: $0.pid) ?? "").contains("_reap")
        }?.pid
    }

    /// SIGKILLs stacktop if it still runs (after a failed assertion) and removes the output files.
    func cleanUp() {
        if process.poll() == nil { process.send(SIGKILL); _ = process.wait(timeoutMs: 2000) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// What is left of a stack after stacktop exited: processes and listening sockets, found
/// independently of stacktop's own bookkeeping (by session, by run dir, by socket inode).
enum StackResidue {
    /// Live processes (zombies excluded) in `sessions`, or whose cwd, command line or
    /// environment names `runDir`. Never the test process itself.
    static func processes(sessions: Set<Int32>, runDir: String?) -> [String] {
        let table = LinuxProcessTable()
        let me = getpid()
        return table.snapshot().compactMap { record -> String? in
            guard !record.isDead, record.pid != me else { return nil }
            var why: String?
            if sessions.contains(record.sid) { why = "in session \(record.sid)" }
            if why == nil, let runDir, !runDir.isEmpty {
                if let cwd = link("/proc/\(record.pid)/cwd"), cwd == runDir || cwd.hasPrefix(runDir + "/") {
                    why = "cwd \(cwd)"
                } else if (table.commandLine(of: record.pid) ?? "").contains(runDir) {
                    why = "command line names the run dir"
                } else if environment(of: record.pid).contains(runDir) {
                    why = "environment names the run dir"
                }
            }
            guard let why else { return nil }
            return "\(record.pid) \(record.comm) [\(record.state)] \(why): \(table.commandLine(of: record.pid) ?? "?")"
        }
    }

    /// The processes of a stack while it runs: its sessions, plus anything referring to the run dir.
    static func pids(sessions: Set<Int32>, runDir: String?) -> Set<Int32> {
        Set(processes(sessions: sessions, runDir: runDir).compactMap { Int32($0.prefix { $0.isNumber }) })
    }

    static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func environment(of pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 10 : $0 }, as: UTF8.self)
    }

    /// The socket inodes the processes `pids` hold open.
    static func socketInodes(of pids: Set<Int32>) -> Set<UInt64> {
        var inodes = Set<UInt64>()
        for pid in pids {
            let dir = "/proc/\(pid)/fd"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                guard let target = link(dir + "/" + name), target.hasPrefix("socket:["),
                    let inode = UInt64(target.dropFirst(8).dropLast())
                else { continue }
                inodes.insert(inode)
            }
        }
        return inodes
    }
}

/// A LISTEN row of /proc/net/tcp or tcp6 with its local address decoded.
struct ListeningSocket: Equatable, CustomStringConvertible {
    var address: String
    var port: Int
    var inode: UInt64
    var description: String {
        address.contains(":") ? "[\(address)]:\(port) inode \(inode)" : "\(address):\(port) inode \(inode)"
    }
    var isLoopback: Bool { address.hasPrefix("127.") || address == "::1" }

    /// Every listening TCP socket of this network namespace.
    static func all() -> [ListeningSocket] {
        ["/proc/net/tcp", "/proc/net/tcp6"].flatMap { file -> [ListeningSocket] in
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").dropFirst().compactMap(parse)
        }
    }

    /// One line: `sl local rem st ... uid timeout inode`; addresses are the kernel's words
    /// printed in host byte order (little-endian here), so each 32-bit word's bytes are reversed.
    static func parse(_ line: Substring) -> ListeningSocket? {
        let f = line.split(separator: " ", omittingEmptySubsequences: true)
        guard f.count >= 10, f[3] == "0A", let colon = f[1].lastIndex(of: ":"),
            let port = Int(f[1][f[1].index(after: colon)...], radix: 16), let inode = UInt64(f[9])
        else { return nil }
        let hex = Array(f[1][..<colon])
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for word in stride(from: 0, to: hex.count, by: 8) {
            guard let value = UInt32(String(hex[word..<word + 8]), radix: 16) else { return nil }
            bytes += [UInt8(value & 0xff), UInt8((value >> 8) & 0xff), UInt8((value >> 16) & 0xff), UInt8(value >> 24)]
        }
        let address: String
        if bytes.count == 4 {
            address = bytes.map(String.init).joined(separator: ".")
        } else {
            var storage = in6_addr()
            withUnsafeMutableBytes(of: &storage) { for i in 0..<16 { $0[i] = bytes[i] } }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return nil }
            address = String(cString: text)
        }
        return ListeningSocket(address: address, port: port, inode: inode)
    }
}

extension IntegrationSupport {
    /// Skips unless every server the hardening tests start is installed (they mix all of them).
    static func skipUnlessEveryServerInstalled() throws {
        let tools = Toolchain()
        let programs = [
            tools.nginx, tools.apache, tools.lighttpd, tools.uwsgi, tools.supervisord,
            paths.venv + "/bin/gunicorn", paths.venv + "/bin/waitress-serve", paths.venv + "/bin/python",
        ]
        for program in programs where access(program, X_OK) != 0 {
            throw XCTSkip("\(program) is not installed (run scripts/install-components)")
        }
        if access(tools.apacheModules + "/mod_wsgi.so", R_OK) != 0 {
            throw XCTSkip("\(tools.apacheModules)/mod_wsgi.so is not installed (run scripts/install-components)")
        }
    }
}

/// A private scratch directory for topology files derived from the seed topologies.
struct Scratch {
    let path: String

    /// Creates it under /tmp with a short name: unix socket paths of run dirs below it must
    /// stay under Linux's 108 bytes.
    init() {
        path = "/tmp/sth-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        mkdir(path, 0o755)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `file`: the `components:` section of the seed topology `seed` (fixed `port` in
    /// place of `auto` when given), with `app` lines under `app:`. Returns its path.
    func topology(_ file: String, from seed: String, app: [String] = [], port: Int? = nil) throws -> String {
        let text = try String(contentsOfFile: IntegrationSupport.paths.topologies + "/\(seed).yaml", encoding: .utf8)
        guard let start = text.range(of: "\ncomponents:") else { throw XCTSkip("\(seed) has no components") }
        var components = String(text[start.lowerBound...])
        if let traffic = components.range(of: "\ntraffic:") { components = String(components[..<traffic.lowerBound]) }
        if let port { components = components.replacingOccurrences(of: "port: auto", with: "port: \(port)") }
        let appSection = app.isEmpty ? "" : "\napp:\n" + app.map { "  " + $0 }.joined(separator: "\n")
        let filePath = path + "/" + file
        try ("description: a hardening test case derived from \(seed)" + appSection + components + "\n")
            .write(toFile: filePath, atomically: true, encoding: .utf8)
        return filePath
    }

    /// A YAML double-quoted scalar holding `s` exactly.
    static func yaml(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension XCTestCase {
    /// Waits (bounded) for `up` to exit; asserts it did, and that nothing of its stack is left.
    @discardableResult
    func finish(_ up: UpRun, _ label: String, timeoutMs: Int = 45_000) -> ChildProcess.ExitStatus? {
        let status = up.process.wait(timeoutMs: timeoutMs)
        XCTAssertNotNil(status, "\(label): stacktop still runs after \(timeoutMs / 1000) s: \(up.stdout)")
        XCTAssertEqual(StackResidue.processes(sessions: up.eventPids, runDir: up.runDir), [], "\(label): left running")
        return status
    }
}
