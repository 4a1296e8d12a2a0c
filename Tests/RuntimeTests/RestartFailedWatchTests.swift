import TestSupport
import XCTest
import Glibc
import StackRecipes
import Supervision
@testable import Runtime

/// A restart in place whose start cannot be spawned, on a real process under a real watcher:
/// the component is stopped, then reported down, and no longer shown as stopping.
final class RestartFailedWatchTests: XCTestCase {
    private var runDir = ""
    private var sessions = Set<Int32>()

    override func setUp() { runDir = TestProject.temporaryDirectory("restart-failed") }

    override func tearDown() {
        RuntimeTestSupport.killSessions(sessions)
        try? FileManager.default.removeItem(atPath: runDir)
    }

    typealias Events = EventRecorder

    func testAFailedSpawnLeavesTheComponentDownNotStopping() throws {
        let port = try PortAllocator().freePort()
        let registry = ComponentRestartTests.RecordingRegistry()
        let launcher = StackLauncher(
            registry: registry, stopper: StackStopper(registry: registry), readinessTimeoutMs: 10_000)
        let spec = ProcessSpec(
            component: "app", kind: .waitress,
            argv: [RuntimeTestSupport.python, "-m", "http.server", "--bind", "127.0.0.1", String(port)],
            environment: ["PATH": "/usr/bin:/bin"], workingDirectory: runDir, outputLog: "logs/app.log",
            readiness: .http(host: "127.0.0.1", port: port, path: "/"), stopSignal: .term,
            roles: RoleRule(root: .worker))
        let plan = Plan(
            topology: "test", directories: ["logs", "run"], files: [], processes: [spec],
            frontDoorURL: "http://127.0.0.1:\(port)/")
        let stack = try launcher.launch(plan, runDir: runDir, events: { _ in })
        sessions.formUnion(stack.sessions)
        let old = try XCTUnwrap(stack.components[0].process)
        let events = Events()
        let watcher = StackWatcher(stack: stack, events: events.sink)
        watcher.start()
        defer { watcher.stop() }
        XCTAssertTrue(
            TestProject.eventually { events.all.contains { $0.typeName == "spawned" && $0.pid == old.pid } },
            "\(events.all)")

        // The same component, but its program is gone by the time it is started again.
        var broken = stack.components
        broken[0].spec.argv[0] = runDir + "/no-such-python"
        watcher.stopping(component: "app")
        XCTAssertThrowsError(
            try ComponentRestart(launcher: launcher).restart(
                "app", components: broken, plan: plan, runDir: runDir, clock: stack.clock, events: { _ in })
        ) { error in
            XCTAssertTrue("\(error)".contains("was stopped but could not be started again"), "\(error)")
        }
        XCTAssertTrue(old.hasExited, "the old server was stopped")
        XCTAssertEqual(watcher.snapshot().components.first?.isStopping, true, "still stopping until told")
        watcher.restartFailed(component: "app")
        var down: StackEvent?
        XCTAssertTrue(
            TestProject.eventually {
                down = events.all.first { if case .down = $0.kind { return true } else { return false } }
                return down != nil
            }, "\(events.all)")
        XCTAssertEqual(down?.pid, old.pid)
        XCTAssertEqual(down?.component, "app")
        let exit = try XCTUnwrap(
            events.all.firstIndex { $0.typeName == "exited" && $0.pid == old.pid }, "\(events.all)")
        XCTAssertLessThan(
            exit, try XCTUnwrap(events.all.firstIndex { $0.typeName == "down" }), "the old exit is reported first")
        let app = try XCTUnwrap(watcher.snapshot().components.first)
        XCTAssertFalse(app.isStopping)
        XCTAssertTrue(app.isDown)
    }
}
