import XCTest
import Glibc
@testable import Runtime
import TestSupport

/// Real fork/exec through CLinux: sessions, exact environment, fd hygiene, signal reset, errors.
final class ProcessSpawnerTests: XCTestCase {
    private var dir = ""
    private var sessions = Set<Int32>()

    override func setUp() { dir = TestProject.temporaryDirectory("spawn") }

    override func tearDown() {
        RuntimeTestSupport.killSessions(sessions)
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs `argv` in a new session, output to a file; returns the output once it exits.
    private func run(_ argv: [String], env: [String: String] = [:], cwd: String = "") throws -> String {
        let log = dir + "/out-\(UInt32.random(in: 0...UInt32.max)).log"
        let fd = RuntimeTestSupport.openLog(log)
        defer { close(fd) }
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: argv, environment: env,
                workingDirectory: cwd, stdoutFD: fd, stderrFD: fd))
        sessions.insert(pid)
        let child = ChildProcess(pid: pid, startTimeTicks: 0)
        XCTAssertEqual(child.wait(timeoutMs: 5000), .exited(0), "\(argv)")
        return RuntimeTestSupport.read(log)
    }

    /// Runs `script` with /bin/sh.
    private func runShell(_ script: String, env: [String: String] = [:], cwd: String = "") throws -> String {
        try run([RuntimeTestSupport.shell, "-c", script], env: env, cwd: cwd)
    }

    func testChildLeadsItsOwnSession() throws {
        let pid = try ProcessSpawner().spawn(SpawnRequest(argv: ["/bin/sleep", "30"], environment: [:]))
        sessions.insert(pid)
        let record = try XCTUnwrap(LinuxProcessTable().record(of: pid))
        XCTAssertEqual(record.sid, pid)
        XCTAssertEqual(record.pgid, pid)
        XCTAssertEqual(record.ppid, getpid())
        XCTAssertNotEqual(record.sid, getsid(0))
        let child = ChildProcess(pid: pid, startTimeTicks: record.startTimeTicks)
        XCTAssertNil(child.poll())
        XCTAssertTrue(child.send(SIGKILL))
        XCTAssertEqual(child.wait(timeoutMs: 2000), .signaled(SIGKILL))
        XCTAssertFalse(child.send(SIGTERM), "a reaped child must not be signalled again")
    }

    func testEnvironmentIsExactlyTheGivenOne() throws {
        let out = try runShell("env | sort", env: ["ZED": "last", "ALPHA": "a b c", "PATH": "/usr/bin:/bin"])
        let lines = out.split(separator: "\n").map(String.init).filter {
            !$0.hasPrefix("PWD=") && !$0.hasPrefix("SHLVL=") && !$0.hasPrefix("_=")
        }
        XCTAssertEqual(lines, ["ALPHA=a b c", "PATH=/usr/bin:/bin", "ZED=last"])
    }

    func testWorkingDirectoryAndStdin() throws {
        let out = try runShell("pwd; readlink /proc/$$/fd/0", cwd: dir)
        XCTAssertEqual(out.split(separator: "\n").map(String.init), [dir, "/dev/null"])
    }

    func testOnlyTheStandardDescriptorsAreInherited() throws {
        // A descriptor of ours without CLOEXEC must not reach the child.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        XCTAssertGreaterThan(leaked, 2)
        // ls itself opens the directory it lists as fd 3.
        let out = try run(["/bin/ls", "/proc/self/fd"])
        XCTAssertEqual(out, "0\n1\n2\n3\n")
    }

    func testIgnoredAndBlockedSignalsAreReset() throws {
        signal(SIGPIPE, SIG_IGN)
        // grep reads its own status (a shell would block signals itself while it waits for grep).
        let out = try run(["/bin/grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"])
        XCTAssertEqual(out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n")
    }

    func testMissingProgramIsAClearExecError() {
        XCTAssertThrowsError(try ProcessSpawner().spawn(SpawnRequest(argv: ["/nonexistent/nginx"], environment: [:]))) {
            error in
            guard let e = error as? SpawnError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.stage, .exec)
            XCTAssertEqual(e.errno, ENOENT)
            XCTAssertTrue(e.description.contains("/nonexistent/nginx"), e.description)
        }
        XCTAssertThrowsError(try ProcessSpawner().spawn(SpawnRequest(argv: ["/tmp"], environment: [:]))) { error in
            XCTAssertEqual((error as? SpawnError)?.errno, EACCES)
        }
    }

    func testBadWorkingDirectoryIsReported() {
        XCTAssertThrowsError(
            try ProcessSpawner().spawn(
                SpawnRequest(
                    argv: ["/bin/true"], environment: [:],
                    workingDirectory: dir + "/missing"))
        ) { error in
            XCTAssertEqual((error as? SpawnError)?.stage, .chdir)
        }
    }

    func testParentDeathSignalKillsChildWhenSpawningThreadExits() throws {
        // PR_SET_PDEATHSIG fires when the spawning *thread* exits: spawn from a short-lived thread.
        let box = PidBox()
        let thread = Thread {
            box.pid = try? ProcessSpawner().spawn(
                SpawnRequest(
                    argv: ["/bin/sleep", "30"], environment: [:],
                    parentDeathSignal: SIGKILL))
        }
        thread.start()
        XCTAssertTrue(TestProject.eventually { box.pid != nil })
        let pid = try XCTUnwrap(box.pid)
        sessions.insert(pid)
        let child = ChildProcess(pid: pid, startTimeTicks: 0)
        XCTAssertEqual(child.wait(timeoutMs: 3000), .signaled(SIGKILL))
    }
}

/// A pid written by one thread and read by another (the test waits for it).
private final class PidBox: @unchecked Sendable {
    var pid: Int32?
}
