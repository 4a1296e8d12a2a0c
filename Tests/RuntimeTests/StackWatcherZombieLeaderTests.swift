import Foundation
import Glibc
import StackModel
import StackRecipes
import Supervision
import XCTest
@testable import Runtime
import TestSupport

/// A process whose main thread ended before its other threads: /proc shows its leader as a
/// zombie while the process lives on, and neither its pidfd nor its parent hears of an exit until
/// the last thread is gone. (A SIGKILLed multi-threaded worker, a mod_wsgi daemon process, passes
/// through the same state for as long as its threads take to die.) The watcher must neither call
/// it gone while its pidfd is silent nor lose how it ended.
final class StackWatcherZombieLeaderTests: XCTestCase {
    /// The master forks one worker and reaps it; the worker starts a thread, waits for the file
    /// `go` and then ends its main thread alone (the raw exit system call, not exit_group).
    static let master = """
        import ctypes, os, platform, threading, time
        SYS_exit = {"x86_64": 60, "aarch64": 93}[platform.machine()]
        pid = os.fork()
        if pid == 0:
            threading.Thread(target=lambda: time.sleep(3600)).start()
            for _ in range(3000):
                if os.path.exists("go"): break
                time.sleep(0.01)
            ctypes.CDLL(None).syscall(SYS_exit, 0)
        print("worker", pid, flush=True)
        os.waitpid(pid, 0)
        time.sleep(3600)
        """

    func testAWorkerWhoseLeaderThreadEndedIsAliveUntilItsLastThreadEnds() throws {
        let dir = TestProject.temporaryDirectory("zombie-leader")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.master.write(toFile: dir + "/master.py", atomically: true, encoding: .utf8)
        let spec = ProcessSpec(
            component: "app", kind: .gunicorn, argv: [RuntimeTestSupport.python, dir + "/master.py"],
            environment: ["PATH": "/usr/bin:/bin"], workingDirectory: dir, outputLog: "app.out",
            readiness: .withParent, stopSignal: .term, roles: RoleRule(root: .master))
        let logFD = RuntimeTestSupport.openLog(dir + "/app.out")
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: spec.argv, environment: spec.environment, workingDirectory: dir, stdoutFD: logFD,
                stderrFD: logFD, newSession: true))
        close(logFD)
        defer { RuntimeTestSupport.killSessions([pid]) }
        let table = LinuxProcessTable()
        let root = ChildProcess(pid: pid, startTimeTicks: table.record(of: pid)?.startTimeTicks ?? 0)
        let plan = Plan(
            topology: "t", directories: [], files: [], processes: [spec], frontDoorURL: "http://127.0.0.1:1/")
        let stack = RunningStack(
            plan: plan, runDir: dir, components: [LaunchedComponent(spec: spec, process: root)], clock: Stopwatch())
        var worker: Int32?
        XCTAssertTrue(
            TestProject.eventually {
                worker = StackWatcherTests.children(of: pid).first
                return worker != nil
            }, "the master forked its worker")
        let workerPid = try XCTUnwrap(worker)

        let events = EventRecorder()
        let watcher = StackWatcher(stack: stack, events: events.sink)
        watcher.start()
        defer { watcher.stop() }
        XCTAssertTrue(
            TestProject.eventually { events.all.contains { $0.typeName == "spawned" && $0.pid == workerPid } },
            "\(events.all)")

        FileManager.default.createFile(atPath: dir + "/go", contents: Data())
        XCTAssertTrue(
            TestProject.eventually { table.record(of: workerPid)?.state == "Z" },
            "the worker's leader thread became a zombie, its other thread still running")
        XCTAssertEqual(
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(workerPid)/task"))?.count, 2,
            "the process still has its two threads")
        let scans = watcher.snapshot().scans
        XCTAssertTrue(TestProject.eventually(timeoutMs: 5000) { watcher.snapshot().scans >= scans + 2 })
        XCTAssertFalse(
            events.all.contains { $0.typeName == "exited" && $0.pid == workerPid },
            "the worker was called gone while it still runs: \(events.all.map(\.jsonLine))")
        XCTAssertTrue(watcher.snapshot().component("app")?.processes.map(\.pid).contains(workerPid) == true)

        kill(workerPid, SIGKILL)
        XCTAssertTrue(
            TestProject.eventually { events.all.contains { $0.typeName == "exited" && $0.pid == workerPid } },
            "\(events.all.map(\.jsonLine))")
        let exited = try XCTUnwrap(events.all.first { $0.typeName == "exited" && $0.pid == workerPid })
        if case let .exited(nil, nil, why?) = exited.kind {
            XCTAssertTrue(why.contains("PIDFD_INFO_EXIT"), why)
        } else {
            XCTAssertEqual(exited.kind, .exited(signal: SIGKILL, status: nil))
        }
        XCTAssertEqual(exited.role, .worker)
    }
}
