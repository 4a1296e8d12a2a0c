import XCTest
import Glibc
import Foundation
@testable import Runtime

/// The reaper process (`stacktop _reap`): when its pipe closes it kills whole sessions,
/// orphaned grandchildren included, and leaves unrelated processes alone.
final class ReaperTests: XCTestCase {
    private var sessions = Set<Int32>()

    override func tearDown() { TestSupport.killSessions(sessions) }

    /// Starts `sh -c script` in a new session and returns its pid (= session id).
    private func startSession(_ script: String) throws -> Int32 {
        let pid = try ProcessSpawner().spawn(SpawnRequest(argv: [TestSupport.shell, "-c", script],
                                                          environment: ["PATH": "/usr/bin:/bin"]))
        sessions.insert(pid)
        return pid
    }

    func testReaperKillsWholeSessionIncludingOrphanedGrandchildOnEOF() throws {
        let exe = try XCTUnwrap(TestSupport.stacktopExecutable, "swift test builds the stacktop executable")
        let reaper = try ReaperClient(argv: [exe, "_reap"])
        let table = LinuxProcessTable()
        // The subshell forks a sleeper and exits at once: the grandchild is orphaned but stays in the session.
        let sid = try startSession("(sleep 300 &); exec sleep 301")
        reaper.record(.session(sid))
        let bystander = try startSession("exec sleep 302")
        // Wait for the orphan itself: for a moment the session also holds the subshell (a child of
        // the leader) before it exits, and a count of two members can be that moment.
        let orphaned = { table.liveMembers(ofSessions: [sid]).first { $0.pid != sid && $0.ppid != sid } }
        XCTAssertTrue(TestSupport.eventually { orphaned() != nil })
        let orphan = try XCTUnwrap(orphaned(), "the grandchild should have lost its parent")
        // Kill the session leader first: the grandchild must survive that on its own.
        kill(sid, SIGKILL)
        _ = ChildProcess(pid: sid, startTimeTicks: 0).wait(timeoutMs: 2000)
        XCTAssertTrue(table.isAlive(orphan.pid, startTime: orphan.startTimeTicks))

        let clock = Stopwatch()
        XCTAssertTrue(reaper.finish(timeoutMs: 3000), "the reaper exits after its sweep")
        XCTAssertTrue(table.liveMembers(ofSessions: [sid]).isEmpty)
        XCTAssertLessThan(clock.elapsedMs, 2000)
        XCTAssertTrue(table.isAlive(bystander), "a session never recorded is left alone")
    }

    func testReleasedSessionsAreNotKilled() throws {
        let exe = try XCTUnwrap(TestSupport.stacktopExecutable)
        let reaper = try ReaperClient(argv: [exe, "_reap"])
        let kept = try startSession("exec sleep 303")
        let doomed = try startSession("exec sleep 304")
        reaper.record(.session(kept))
        reaper.record(.session(doomed))
        reaper.record(.release(kept))
        XCTAssertTrue(reaper.finish())
        let table = LinuxProcessTable()
        XCTAssertTrue(table.isAlive(kept))
        XCTAssertTrue(TestSupport.eventually(timeoutMs: 1000) { !table.isAlive(doomed) })
    }

    func testReaperIgnoresTerminalSignals() throws {
        let exe = try XCTUnwrap(TestSupport.stacktopExecutable)
        let reaper = try ReaperClient(argv: [exe, "_reap"])
        let sid = try startSession("exec sleep 305")
        reaper.record(.session(sid))
        // Give it time to install its dispositions, then hit it with what a closing terminal sends.
        let wanted: UInt64 = [SIGINT, SIGHUP, SIGPIPE, SIGQUIT].reduce(0) { $0 | (1 << UInt64($1 - 1)) }
        XCTAssertTrue(TestSupport.eventually {
            let status = TestSupport.read("/proc/\(reaper.pid)/status")
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigIgn:") }),
                  let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
            return mask & wanted == wanted
        })
        for sig in [SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { kill(reaper.pid, sig) }
        Stopwatch.sleep(ms: 50)
        XCTAssertTrue(LinuxProcessTable().isAlive(reaper.pid))
        XCTAssertTrue(reaper.finish())
        XCTAssertFalse(LinuxProcessTable().isAlive(sid))
    }

    func testReaperLoopInProcessSweepsOnEOF() throws {
        // Reaper.run on a pipe in this process: the same code path without the executable.
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
