import Foundation
import Glibc
import Runtime
import StackModel
import StackRecipes
import Supervision
import XCTest
import TestSupport

/// Real stacks, watched: the test SIGKILLs a worker it found itself in /proc under the master,
/// and the watcher must report that pid's exit and a replacement that /proc confirms is a child
/// of the same master. Under supervisord, a killed gunicorn master must come back as a
/// component-level replacement (a new master, child of supervisord).
final class WatcherKillTests: XCTestCase {
    func testGunicornWorker() throws { try killWorker("gunicorn", master: { $0.root("app") }, worker: { _ in true }) }
    func testUWSGIWorker() throws {
        try killWorker("uwsgi", master: { $0.root("app") }, worker: { $0.contains("uWSGI worker") })
    }
    func testApacheModWSGIDaemon() throws {
        try killWorker("apache-mod-wsgi", master: { $0.root("front") }, worker: { $0.contains("(wsgi:app)") })
    }
    func testNginxFlupForkChild() throws {
        try killWorker("nginx-flup", master: { $0.root("app") }, worker: { _ in true })
    }
    func testLighttpdFlupBackend() throws {
        try killWorker("lighttpd-flup", master: { $0.root("front") }, worker: { $0.contains("--name app") })
    }

    func testSupervisedGunicornMasterIsReplacedBySupervisord() throws {
        let run = try WatchedRun("nginx-gunicorn-supervisord")
        defer { run.stop() }
        let supervisord = try XCTUnwrap(run.root("supervisor"))
        let master = try XCTUnwrap(
            Proc.children(of: supervisord).first { Proc.commandLine($0).contains("gunicorn") },
            "a gunicorn master under supervisord")
        try run.waitForSpawned(master)
        let clock = Stopwatch()
        kill(master, SIGKILL)
        let replaced = try run.waitForReplacement(of: master, timeoutMs: 8000)
        print(
            "nginx-gunicorn-supervisord: master \(master) replaced by \(replaced.newPid) (gap \(replaced.gapMs) ms, "
                + "event \(clock.elapsedMs) ms after the kill)")
        XCTAssertEqual(replaced.event.component, "app")
        XCTAssertEqual(replaced.event.role, .master)
        XCTAssertEqual(Proc.parent(of: replaced.newPid), supervisord, "the new master is supervisord's child")
        XCTAssertTrue(run.events.all.contains { $0.typeName == "exited" && $0.pid == master && $0.role == .master })
    }

    /// Launches `name`, kills one worker of `master` chosen by command line, checks the events.
    private func killWorker(
        _ name: String, master: (WatchedRun) -> Int32?, worker: (String) -> Bool,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let run = try WatchedRun(name)
        defer { run.stop() }
        let masterPid = try XCTUnwrap(master(run), "\(name): no master", file: file, line: line)
        var victim: Int32?
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 5000) {
                victim = Proc.children(of: masterPid).sorted().first { worker(Proc.commandLine($0)) }
                return victim != nil
            }, "\(name): no worker under \(masterPid)", file: file, line: line)
        let pid = try XCTUnwrap(victim, file: file, line: line)
        try run.waitForSpawned(pid)
        let clock = Stopwatch()
        kill(pid, SIGKILL)
        let replaced = try run.waitForReplacement(of: pid, timeoutMs: 8000)
        print(
            "\(name): worker \(pid) replaced by \(replaced.newPid) (gap \(replaced.gapMs) ms, "
                + "event \(clock.elapsedMs) ms after the kill)")
        let exited = run.events.all.first { $0.typeName == "exited" && $0.pid == pid }
        XCTAssertNotNil(exited, "\(name): no exited event for \(pid)", file: file, line: line)
        // The master, not stacktop, reaps the worker: the exit must still say how it ended (the
        // pidfd's PIDFD_INFO_EXIT), or why a kernel older than 6.15 could not tell.
        switch exited?.kind {
        case let .exited(signal, status, unknown)?:
            if let unknown {
                XCTAssertTrue(
                    unknown.contains("PIDFD_INFO_EXIT"), "\(name): unknown exit: \(unknown)", file: file, line: line)
            } else {
                XCTAssertEqual(signal, SIGKILL, "\(name): \(exited?.jsonLine ?? "")", file: file, line: line)
                XCTAssertNil(status, file: file, line: line)
            }
        default: break
        }
        XCTAssertEqual(
            Proc.parent(of: replaced.newPid), masterPid, "\(name): the new worker's parent",
            file: file, line: line)
        XCTAssertEqual(replaced.event.role, exited?.role, file: file, line: line)
    }
}

/// A stack launched and watched for one test; `stop()` leaves nothing running.
final class WatchedRun {
    let stack: RunningStack
    let watcher: StackWatcher
    let launcher: StackLauncher
    let registry: any CleanupRegistry
    let events = SeedStackTests.Events()
    let context: LaunchContext

    init(_ name: String, settings: StackWatcher.Settings = StackWatcher.Settings()) throws {
        let paths = IntegrationSupport.paths
        let source = try TopologySource.load(name, paths: paths)
        let topology: Topology
        do { (topology, context) = try LaunchPreparation(paths: paths).prepareLaunch(source.topology) } catch {
            if case PreparationError.app = error { throw XCTSkip("\(error)") }
            throw error
        }
        let plan = try Recipes.plan(for: topology, context: context)
        try IntegrationSupport.skipIfProgramsMissing(plan)
        registry =
            try TestProject.stacktopExecutable.map { try ReaperClient(argv: [$0, "_reap"]) } ?? NoCleanupRegistry()
        launcher = StackLauncher(registry: registry)
        stack = try launcher.launch(plan, runDir: context.runDir, events: events.sink)
        watcher = StackWatcher(stack: stack, settings: settings, events: events.sink)
        watcher.start()
    }

    /// The root pid of a spawned component (its session).
    func root(_ component: String) -> Int32? { stack.component(component)?.session }

    /// Waits until the watcher reported `pid` as spawned (it knows the process before the kill).
    func waitForSpawned(_ pid: Int32) throws {
        let seen = TestProject.eventually(timeoutMs: 5000) {
            self.events.all.contains { $0.typeName == "spawned" && $0.pid == pid }
        }
        XCTAssertTrue(seen, "the watcher never reported \(pid) as spawned")
    }

    /// The `replaced` event whose old pid is `pid`.
    func waitForReplacement(of pid: Int32, timeoutMs: Int) throws -> (event: StackEvent, newPid: Int32, gapMs: Int) {
        var found: (StackEvent, Int32, Int)?
        _ = TestProject.eventually(timeoutMs: timeoutMs) {
            for e in self.events.all {
                if case let .replaced(old, new, gap) = e.kind, old == pid { found = (e, new, gap); return true }
            }
            return false
        }
        let events = self.events.all.filter { $0.typeName != "health" }.suffix(12).map(\.jsonLine)
        let result = try XCTUnwrap(found, "no replaced event for \(pid); last events: \(events)")
        return (result.0, result.1, result.2)
    }

    func stop() {
        watcher.stopping()
        let report = launcher.stopper.stop(stack.components, clock: stack.clock, events: events.sink)
        watcher.stop()
        (registry as? ReaperClient)?.finish()
        XCTAssertEqual(report.survivors, [])
        XCTAssertEqual(IntegrationSupport.survivors(stack.sessions).map(\.pid), [])
        try? FileManager.default.removeItem(atPath: context.runDir)
    }
}

/// The test's own reading of /proc (independent of the watcher).
enum Proc {
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { tid in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int32($0) }
        }
    }

    static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    static func parent(of pid: Int32) -> Int32? { LinuxProcessTable().record(of: pid)?.ppid }
}
