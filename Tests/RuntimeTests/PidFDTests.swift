import XCTest
import Glibc
@testable import Runtime

/// pidfds: exit noticed at once (also for non-children), signals never reach a reused pid.
final class PidFDTests: XCTestCase {
    func testExitIsNoticedQuicklyAndSignalsStopAfterExit() throws {
        let pid = try ProcessSpawner().spawn(SpawnRequest(argv: ["/bin/sleep", "30"], environment: [:]))
        let child = ChildProcess(pid: pid, startTimeTicks: 0)
        defer { child.send(SIGKILL); _ = child.wait(timeoutMs: 1000) }
        let handle = try XCTUnwrap(PidFD(pid: pid))
        XCTAssertFalse(handle.hasExited)
        XCTAssertFalse(handle.waitForExit(timeoutMs: 20))
        let clock = Stopwatch()
        XCTAssertTrue(handle.send(SIGKILL))
        XCTAssertTrue(handle.waitForExit(timeoutMs: 2000))
        XCTAssertLessThan(clock.elapsedMs, 200, "poll wakes on exit, before the zombie is reaped")
        XCTAssertEqual(child.wait(timeoutMs: 1000), .signaled(SIGKILL))
        XCTAssertFalse(handle.send(SIGTERM), "the process is gone; its pid may belong to someone else now")
    }

    func testNoHandleForAMissingProcess() {
        XCTAssertNil(PidFD(pid: Int32.max - 1))
    }
}
