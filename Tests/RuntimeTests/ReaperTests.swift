import Supervision
import XCTest
import Glibc
import Foundation
@testable import Runtime
import TestSupport

/// The reaper process: when its pipe closes it kills whole sessions, orphaned grandchildren
/// included, and leaves unrelated processes alone. Every test runs against both reapers the build
/// makes: the C program `stacktop-reaper _reap` (what stacktop starts) and `stacktop _reap` (the
/// Swift fallback for a stacktop copied without its sibling).
final class ReaperTests: XCTestCase {
    private var sessions = Set<Int32>()

    override func tearDown() { RuntimeTestSupport.killSessions(sessions) }

    /// Both reaper commands; fails (never skips) when the build did not make them.
    private func reaperCommands() throws -> [[String]] {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable, "swift test builds the stacktop executable")
        let reaper = try XCTUnwrap(TestProject.reaperExecutable, "swift build makes stacktop-reaper beside stacktop")
        return [[reaper, "_reap"], [exe, "_reap"]]
    }

    /// Starts `sh -c script` in a new session and returns its pid (= session id).
    private func startSession(_ script: String, environment: [String: String] = [:]) throws -> Int32 {
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: [RuntimeTestSupport.shell, "-c", script],
                environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }))
        sessions.insert(pid)
        return pid
    }

    /// Runs a reaper on a pipe carrying exactly `input`, then EOF, and waits for it to exit.
    private func runReaper(_ argv: [String], input: String) throws {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        let pid = try ProcessSpawner().spawn(SpawnRequest(argv: argv, environment: [:], stdinFD: fds[0]))
        close(fds[0])
        let bytes = Array(input.utf8)
        XCTAssertEqual(write(fds[1], bytes, bytes.count), bytes.count)
        close(fds[1])
        XCTAssertNotNil(
            ChildProcess(pid: pid, startTimeTicks: 0).wait(timeoutMs: 4000), "\(argv[0]) exits after its sweep")
    }

    func testDefaultArgvPrefersTheCReaperBesideStacktop() throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable)
        XCTAssertEqual(ReaperClient.argv(besides: exe), [try XCTUnwrap(TestProject.reaperExecutable), "_reap"])
        XCTAssertEqual(ReaperClient.argv(besides: "/nonexistent/dir/stacktop"), ["/nonexistent/dir/stacktop", "_reap"])
    }

    func testReaperKillsWholeSessionIncludingOrphanedGrandchildOnEOF() throws {
        for argv in try reaperCommands() {
            let reaper = try ReaperClient(argv: argv)
            let table = LinuxProcessTable()
            // The subshell forks a sleeper and exits at once: the grandchild is orphaned but stays in the session.
            let sid = try startSession("(sleep 300 &); exec sleep 301")
            reaper.record(.session(sid))
            let bystander = try startSession("exec sleep 302")
            // Wait for the orphan itself: for a moment the session also holds the subshell (a child of
            // the leader) before it exits, and a count of two members can be that moment.
            let orphaned = { table.liveMembers(ofSessions: [sid]).first { $0.pid != sid && $0.ppid != sid } }
            XCTAssertTrue(TestProject.eventually { orphaned() != nil }, argv[0])
            let orphan = try XCTUnwrap(orphaned(), "the grandchild should have lost its parent")
            // Kill the session leader first: the grandchild must survive that on its own.
            kill(sid, SIGKILL)
            _ = ChildProcess(pid: sid, startTimeTicks: 0).wait(timeoutMs: 2000)
            XCTAssertTrue(table.isAlive(orphan.pid, startTime: orphan.startTimeTicks))

            let clock = Stopwatch()
            XCTAssertTrue(reaper.finish(timeoutMs: 3000), "the reaper exits after its sweep: \(argv[0])")
            XCTAssertTrue(table.liveMembers(ofSessions: [sid]).isEmpty, argv[0])
            XCTAssertLessThan(clock.elapsedMs, 2000)
            XCTAssertTrue(table.isAlive(bystander), "a session never recorded is left alone: \(argv[0])")
        }
    }

    func testReleasedSessionsAreNotKilled() throws {
        for argv in try reaperCommands() {
            let reaper = try ReaperClient(argv: argv)
            let kept = try startSession("exec sleep 303")
            let doomed = try startSession("exec sleep 304")
            reaper.record(.session(kept))
            reaper.record(.session(doomed))
            reaper.record(.release(kept))
            XCTAssertTrue(reaper.finish())
            let table = LinuxProcessTable()
            XCTAssertTrue(table.isAlive(kept), argv[0])
            XCTAssertTrue(TestProject.eventually(timeoutMs: 1000) { !table.isAlive(doomed) }, argv[0])
        }
    }

    func testProcessesAreKilledOnlyWhileTheirStartTimeMatches() throws {
        for argv in try reaperCommands() {
            let reaper = try ReaperClient(argv: argv)
            let table = LinuxProcessTable()
            let doomed = try startSession("exec sleep 307")
            let reused = try startSession("exec sleep 308")
            let start = try XCTUnwrap(table.record(of: doomed)?.startTimeTicks)
            let otherStart = try XCTUnwrap(table.record(of: reused)?.startTimeTicks)
            reaper.record(.process(ProcessIdentity(pid: doomed, startTime: start)))
            // A pid whose start time differs stands for a reused pid: left alone.
            reaper.record(.process(ProcessIdentity(pid: reused, startTime: otherStart + 1)))
            // A session recorded and released again: its leader is left alone too.
            reaper.record(.session(reused))
            reaper.record(.release(reused))
            XCTAssertTrue(reaper.finish())
            XCTAssertTrue(TestProject.eventually(timeoutMs: 1000) { !table.isAlive(doomed) }, argv[0])
            XCTAssertTrue(table.isAlive(reused), argv[0])
        }
    }

    func testMalformedLinesAreIgnored() throws {
        for argv in try reaperCommands() {
            let table = LinuxProcessTable()
            let kept = try startSession("exec sleep 309")
            let doomed = try startSession("exec sleep 310")
            // Written raw, as a confused writer might: none of these names `kept` as a target.
            let junk =
                "session \(kept) 1\nsession x\nsession 0\nsession 1\nkill \(kept)\nsession -\(kept)\n"
                + "process \(kept)\n" + String(repeating: "z", count: 10_000) + " session \(kept)\n"
                + "session \(doomed)\n"
            try runReaper(argv, input: junk)
            XCTAssertTrue(TestProject.eventually(timeoutMs: 1000) { !table.isAlive(doomed) }, argv[0])
            XCTAssertTrue(table.isAlive(kept), argv[0])
        }
    }

    func testUnrecordedSpawnIsFoundByItsRunDir() throws {
        for argv in try reaperCommands() {
            let runDir = TestProject.temporaryDirectory("reaper-spawn")
            defer { try? FileManager.default.removeItem(atPath: runDir) }
            let reaper = try ReaperClient(argv: argv)
            let table = LinuxProcessTable()
            // One leader names the run dir in its command line, one in its environment (as the Python
            // servers' TMPDIR does), one names only a longer sibling path: only the first two die.
            // (The shells stay, waiting for their sleep, so their command lines stay as written.)
            let byArgv = try startSession("sleep 311; : \(runDir)/conf/x")
            let byEnv = try startSession("exec sleep 312", environment: ["TMPDIR": runDir + "/tmp"])
            let sibling = try startSession("sleep 313; : \(runDir)x/conf")
            XCTAssertTrue(
                TestProject.eventually { table.liveMembers(ofSessions: [byArgv, byEnv, sibling]).count == 5 })
            reaper.record(.spawning(runDir: runDir))
            XCTAssertTrue(reaper.finish())
            XCTAssertTrue(
                TestProject.eventually(timeoutMs: 1000) { !table.isAlive(byArgv) && !table.isAlive(byEnv) }, argv[0])
            XCTAssertTrue(table.isAlive(sibling), argv[0])
        }
    }

    func testReaperIgnoresTerminalSignals() throws {
        for argv in try reaperCommands() {
            let reaper = try ReaperClient(argv: argv)
            let sid = try startSession("exec sleep 305")
            reaper.record(.session(sid))
            // Give it time to install its dispositions, then hit it with what a closing terminal sends.
            let wanted: UInt64 = [SIGINT, SIGHUP, SIGPIPE, SIGQUIT].reduce(0) { $0 | (1 << UInt64($1 - 1)) }
            XCTAssertTrue(
                TestProject.eventually {
                    let status = RuntimeTestSupport.read("/proc/\(reaper.pid)/status")
                    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigIgn:") }),
                        let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16)
                    else { return false }
                    return mask & wanted == wanted
                }, argv[0])
            for sig in [SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { kill(reaper.pid, sig) }
            Stopwatch.sleep(ms: 50)
            XCTAssertTrue(LinuxProcessTable().isAlive(reaper.pid), argv[0])
            XCTAssertTrue(reaper.finish())
            XCTAssertFalse(LinuxProcessTable().isAlive(sid), argv[0])
        }
    }

    func testReaperLoopInProcessSweepsOnEOF() throws {
        // Reaper.run on a pipe in this process: the Swift reaper's code path without the executable.
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        let sid = try startSession("exec sleep 306")
        let line = Array(ReaperMessage.session(sid).line.utf8)
        XCTAssertEqual(write(fds[1], line, line.count), line.count)
        close(fds[1])
        let outcome = Reaper(inputFD: fds[0]).run()
        close(fds[0])
        XCTAssertEqual(outcome.killed, [sid])
        XCTAssertEqual(outcome.survivors, [])
        _ = ChildProcess(pid: sid, startTimeTicks: 0).wait(timeoutMs: 1000)
        XCTAssertFalse(LinuxProcessTable().isAlive(sid))
    }
}
