import TestSupport
import XCTest
import Glibc
import StackRecipes
import Supervision
@testable import Runtime

/// Restarting one component of a launched plan in place: the old session emptied and released,
/// the new one registered with the reaper before it can fork, the same spec serving again.
final class ComponentRestartTests: XCTestCase {
    private var runDir = ""
    private var sessions = Set<Int32>()

    override func setUp() { runDir = TestProject.temporaryDirectory("restart") }

    override func tearDown() {
        RuntimeTestSupport.killSessions(sessions)
        try? FileManager.default.removeItem(atPath: runDir)
    }

    /// Remembers what the reaper was told.
    final class RecordingRegistry: CleanupRegistry, @unchecked Sendable {
        private let lock = NSLock()
        private var items: [ReaperMessage] = []
        func record(_ message: ReaperMessage) { lock.lock(); items.append(message); lock.unlock() }
        var all: [ReaperMessage] { lock.lock(); defer { lock.unlock() }; return items }
    }

    final class RecordingEvents: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ name: String) { lock.lock(); items.append(name); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    private func server(_ name: String, port: Int) -> ProcessSpec {
        ProcessSpec(
            component: name, kind: .waitress,
            argv: [RuntimeTestSupport.python, "-m", "http.server", "--bind", "127.0.0.1", String(port)],
            environment: ["PATH": "/usr/bin:/bin"], workingDirectory: runDir, outputLog: "logs/\(name).log",
            readiness: .http(host: "127.0.0.1", port: port, path: "/"), stopSignal: .term,
            roles: RoleRule(root: .worker))
    }

    func testRestartStopsTheOldSessionAndRegistersTheNewOne() throws {
        let port = try PortAllocator().freePort()
        let registry = RecordingRegistry()
        let launcher = StackLauncher(
            registry: registry, stopper: StackStopper(registry: registry), readinessTimeoutMs: 10_000)
        let plan = Plan(
            topology: "test", directories: ["logs", "run"], files: [],
            processes: [server("app", port: port)], frontDoorURL: "http://127.0.0.1:\(port)/")
        let stack = try launcher.launch(plan, runDir: runDir, events: { _ in })
        sessions.formUnion(stack.sessions)
        let old = try XCTUnwrap(stack.components[0].process)
        let events = RecordingEvents()
        let outcome = try ComponentRestart(launcher: launcher).restart(
            "app", components: stack.components, plan: plan, runDir: runDir, clock: stack.clock,
            events: { e in events.add(e.typeName) })
        let new = try XCTUnwrap(outcome.component.process)
        sessions.insert(new.pid)
        XCTAssertNil(outcome.notReady)
        XCTAssertEqual(outcome.oldPid, old.pid)
        XCTAssertNotEqual(new.pid, old.pid)
        XCTAssertTrue(old.hasExited, "the old server was stopped")
        XCTAssertEqual(LinuxProcessTable().liveMembers(ofSessions: [old.pid]).map(\.pid), [], "its session is empty")
        XCTAssertFalse(new.hasExited)
        XCTAssertEqual(LinuxProcessTable().record(of: new.pid)?.sid, new.pid, "the new one leads its own session")
        XCTAssertEqual(events.all, ["starting", "ready"])
        // The reaper: the old session released, the new one recorded after a `spawning` line.
        let told = registry.all
        let release = try XCTUnwrap(told.firstIndex(of: .release(old.pid)), "\(told)")
        let spawning = try XCTUnwrap(told.lastIndex(of: .spawning(runDir: runDir)), "\(told)")
        let session = try XCTUnwrap(told.firstIndex(of: .session(new.pid)), "\(told)")
        XCTAssertLessThan(release, spawning)
        XCTAssertLessThan(spawning, session)
        // The same spec serves again.
        XCTAssertEqual(LoopbackClient(timeoutMs: 3_000).get(host: "127.0.0.1", port: port, path: "/")?.status, 200)
        _ = StackStopper(registry: registry).stop([outcome.component], clock: stack.clock, events: { _ in })
        XCTAssertTrue(new.hasExited)
    }

    func testHostedComponentsAreRefused() {
        var plan = Plan(topology: "t", directories: [], files: [], processes: [], frontDoorURL: "http://127.0.0.1:1/")
        var hosted = server("app", port: 1)
        hosted.launchedBy = "front"
        plan.processes = [server("front", port: 2), hosted]
        XCTAssertEqual(ComponentRestart.refusal("app", plan: plan), "app is started by front: restart front")
        XCTAssertNil(ComponentRestart.refusal("front", plan: plan))
        XCTAssertEqual(ComponentRestart.refusal("nope", plan: plan), "there is no component 'nope'")
    }
}
