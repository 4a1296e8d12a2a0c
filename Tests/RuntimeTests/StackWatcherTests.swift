import Foundation
import Glibc
import StackModel
import StackRecipes
import Supervision
import XCTest
@testable import Runtime
import TestSupport

/// The watcher on a real process tree without servers: a small Python "master" that keeps two
/// forked workers alive, listens on a unix socket and logs a line per worker it starts.
final class StackWatcherTests: XCTestCase {
    static let master = """
        import os, signal, socket, sys, time
        sock = socket.socket(socket.AF_UNIX); sock.bind(sys.argv[1]); sock.listen(8)
        def start():
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                while True: time.sleep(60)
            print("started worker", pid, flush=True)
        def reap(*_):
            while True:
                try: pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError: return
                if pid == 0: return
                if not stopping: start()
        stopping = False
        def stop(*_):
            global stopping; stopping = True
            os.killpg(0, signal.SIGTERM)
        signal.signal(signal.SIGCHLD, reap); signal.signal(signal.SIGTERM, stop)
        start(); start()
        while True: time.sleep(60)
        """

    typealias Events = EventRecorder

    func testKilledWorkerIsReportedAndItsReplacementFound() throws {
        let dir = TestProject.temporaryDirectory("watch")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.master.write(toFile: dir + "/master.py", atomically: true, encoding: .utf8)
        let socketPath = dir + "/app.sock"
        let spec = ProcessSpec(
            component: "app", kind: .gunicorn, argv: [RuntimeTestSupport.python, dir + "/master.py", socketPath],
            environment: ["PATH": "/usr/bin:/bin"], workingDirectory: dir, outputLog: "app.out",
            readiness: .unixSocket(path: socketPath), stopSignal: .term, roles: RoleRule(root: .master))
        let logFD = RuntimeTestSupport.openLog(dir + "/app.out")
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: spec.argv, environment: spec.environment,
                workingDirectory: dir, stdoutFD: logFD, stderrFD: logFD,
                newSession: true))
        close(logFD)
        defer { RuntimeTestSupport.killSessions([pid]) }
        let root = ChildProcess(pid: pid, startTimeTicks: LinuxProcessTable().record(of: pid)?.startTimeTicks ?? 0)
        let plan = Plan(
            topology: "t", directories: [], files: [], processes: [spec], frontDoorURL: "http://127.0.0.1:1/")
        let stack = RunningStack(
            plan: plan, runDir: dir, components: [LaunchedComponent(spec: spec, process: root)],
            clock: Stopwatch())
        XCTAssertTrue(TestProject.eventually { Self.children(of: pid).count == 2 }, "the master started two workers")

        let events = Events()
        let watcher = StackWatcher(stack: stack, events: events.sink)
        watcher.start()
        defer { watcher.stop() }
        XCTAssertTrue(
            TestProject.eventually { events.all.filter { $0.typeName == "spawned" }.count == 3 }, "\(events.all)")

        let victim = try XCTUnwrap(Self.children(of: pid).min())
        kill(victim, SIGKILL)
        var replaced: StackEvent?
        XCTAssertTrue(
            TestProject.eventually {
                replaced = events.all.first { if case .replaced = $0.kind { return true } else { return false } }
                return replaced != nil
            }, "\(events.all)")
        let exited = try XCTUnwrap(events.all.first { $0.typeName == "exited" })
        XCTAssertEqual(exited.pid, victim)
        XCTAssertEqual(exited.role, .worker)
        // The signal is read from the zombie's stat when the watcher gets there before the master
        // reaps it, else from the pidfd; only a kernel without PIDFD_INFO_EXIT may not tell, and says so.
        if case let .exited(nil, nil, why?) = exited.kind {
            XCTAssertTrue(why.contains("PIDFD_INFO_EXIT"), why)
        } else {
            XCTAssertEqual(exited.kind, .exited(signal: SIGKILL, status: nil))
        }
        guard case let .replaced(oldPid, newPid, _)? = replaced?.kind else { return XCTFail("no replaced event") }
        XCTAssertEqual(oldPid, victim)
        XCTAssertEqual(LinuxProcessTable().record(of: newPid)?.ppid, pid, "the replacement is the master's child")

        // Health, usage and logs come in at their own pace.
        XCTAssertTrue(
            TestProject.eventually {
                watcher.snapshot().health.contains { $0.hop == "app socket" && $0.answering }
            })
        XCTAssertTrue(
            TestProject.eventually { watcher.logTail("app", lines: 10).contains("started worker \(newPid)") },
            "\(watcher.logTail("app", lines: 10))")
        let snapshot = watcher.snapshot()
        XCTAssertEqual(
            snapshot.component("app")?.processes.map(\.pid).sorted(), ([pid] + Self.children(of: pid)).sorted())
        XCTAssertEqual(snapshot.component("app")?.restarts, 1)
        XCTAssertGreaterThan(
            snapshot.usage[pid]?.rssBytes ?? 0, 1_000_000, "a Python process has more than 1 MB resident")

        // A stop: exits are expected, not failures; the master's own status is reaped and reported.
        watcher.stopping()
        kill(pid, SIGKILL)
        RuntimeTestSupport.killSessions([pid])
        XCTAssertTrue(TestProject.eventually { events.all.contains { $0.pid == pid && $0.typeName == "exited" } })
        watcher.stop()
        let master = try XCTUnwrap(events.all.first { $0.pid == pid && $0.typeName == "exited" })
        XCTAssertEqual(master.kind, .exited(signal: SIGKILL, status: nil))
        XCTAssertFalse(events.all.contains { ["down", "crash_looping"].contains($0.typeName) }, "\(events.all)")
    }

    func testWatcherThreadsIdleWithoutBurningCPU() throws {
        let dir = TestProject.temporaryDirectory("idle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(argv: ["/bin/sleep", "30"], environment: [:], newSession: true))
        defer { RuntimeTestSupport.killSessions([pid]) }
        let root = ChildProcess(pid: pid, startTimeTicks: LinuxProcessTable().record(of: pid)?.startTimeTicks ?? 0)
        let spec = ProcessSpec(
            component: "app", kind: .waitress, argv: ["/bin/sleep"], environment: [:],
            workingDirectory: dir, outputLog: "none.out", readiness: .withParent, stopSignal: .term,
            roles: RoleRule(root: .worker))
        let plan = Plan(
            topology: "t", directories: [], files: [], processes: [spec], frontDoorURL: "http://127.0.0.1:1/")
        let stack = RunningStack(
            plan: plan, runDir: dir, components: [LaunchedComponent(spec: spec, process: root)],
            clock: Stopwatch())
        let watcher = StackWatcher(stack: stack, events: { _ in })
        watcher.start()
        defer { watcher.stop() }
        Stopwatch.sleep(ms: 300)
        let before = Self.cpuTicksOfThisProcess()
        let scansBefore = watcher.snapshot().scans
        Stopwatch.sleep(ms: 3000)
        let used = Self.cpuTicksOfThisProcess() - before
        let scans = watcher.snapshot().scans - scansBefore
        XCTAssertLessThanOrEqual(scans, 4, "about one scan a second when nothing happens")
        XCTAssertGreaterThanOrEqual(scans, 2)
        XCTAssertLessThan(used, 15, "CPU ticks (10 ms each) used in 3 s of watching an idle process")
    }

    /// Children of `pid`, from every thread's children file.
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { tid in
            RuntimeTestSupport.read("/proc/\(pid)/task/\(tid)/children").split(separator: " ").compactMap { Int32($0) }
        }
    }

    static func cpuTicksOfThisProcess() -> UInt64 {
        guard let r = LinuxProcessTable().record(of: getpid()) else { return 0 }
        return r.utimeTicks + r.stimeTicks
    }
}
