import Glibc
import XCTest
@testable import Runtime

/// How a process ended that another parent reaped: the pidfd keeps it (Linux 6.15+), and when
/// nothing can tell, the answer says why instead of saying nothing.
final class ExitLookupTests: XCTestCase {
    func testAWorkerReapedByItsOwnParentStillSaysItWasKilled() throws {
        // sh is the "master": it reaps its child `sleep` itself, as gunicorn or lighttpd do.
        let shell = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: ["/bin/sh", "-c", "sleep 30 & wait $!; sleep 30"],
                environment: [:], newSession: true))
        let parent = ChildProcess(pid: shell, startTimeTicks: 0)
        defer { kill(-shell, SIGKILL); _ = parent.wait(timeoutMs: 2000) }
        var worker: Int32?
        let deadline = Stopwatch()
        while worker == nil && deadline.elapsedMs < 5000 {
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            worker = children.split(separator: " ").compactMap { Int32($0) }.first
            if worker == nil { Stopwatch.sleep(ms: 5) }
        }
        let pid = try XCTUnwrap(worker, "sh started no child")
        let start = try XCTUnwrap(LinuxProcessTable().record(of: pid)).startTimeTicks
        let pidfd = try XCTUnwrap(PidFD(pid: pid))
        XCTAssertEqual(pidfd.exitInfo, .notReaped, "running: nothing to tell yet")
        XCTAssertTrue(pidfd.send(SIGKILL))
        XCTAssertTrue(pidfd.waitForExit(timeoutMs: 2000))
        // Wait until sh has reaped it: the zombie's /proc entry is gone, only the pidfd is left.
        while access("/proc/\(pid)/stat", F_OK) == 0 && deadline.elapsedMs < 5000 { Stopwatch.sleep(ms: 2) }
        XCTAssertNotEqual(access("/proc/\(pid)/stat", F_OK), 0, "sh reaped its child")
        switch ExitLookup().answer(pid: pid, startTime: start, pidfd: pidfd, parent: shell) {
        case let .ended(status):
            XCTAssertEqual(status, .signaled(SIGKILL))
        case let .unknown(why):
            // Only a kernel without PIDFD_INFO_EXIT may fail to tell, and it must say so.
            if case .unsupported = pidfd.exitInfo {
                XCTAssertTrue(why.contains("PIDFD_INFO_EXIT") && why.contains("pid \(shell)"), why)
            } else {
                XCTFail("the kernel keeps the status, yet: \(why)")
            }
        }
    }

    func testAProcessGoneBeforeAnyPidfdSaysWhyItIsUnknown() {
        let answer = ExitLookup(statusReader: ExitStatusReader(procRoot: "/nonexistent"))
            .answer(pid: Int32.max - 1, startTime: 1, pidfd: nil, parent: 42)
        XCTAssertEqual(
            answer,
            .unknown(
                "it was gone before stacktop could open a pidfd on it, and its parent (pid 42) had already reaped it"))
    }
}
