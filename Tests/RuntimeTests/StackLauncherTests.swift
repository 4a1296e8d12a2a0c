import XCTest
import Glibc
import StackModel
import StackRecipes
import Supervision
@testable import Runtime
import TestSupport

/// Launching and stopping hand-built plans of simple real processes (python http.server, sh, sleep).
final class StackLauncherTests: XCTestCase {
    private var runDir = ""
    private var sessions = Set<Int32>()

    override func setUp() { runDir = TestProject.temporaryDirectory("launch") }

    override func tearDown() {
        RuntimeTestSupport.killSessions(sessions)
        try? FileManager.default.removeItem(atPath: runDir)
    }

    typealias Events = EventRecorder

    private func spec(
        _ name: String, _ argv: [String], readiness: Readiness, stop: Signal = .term,
        needsRequest: Bool = false
    ) -> ProcessSpec {
        ProcessSpec(
            component: name, kind: .waitress, argv: argv, environment: ["PATH": "/usr/bin:/bin"],
            workingDirectory: runDir, outputLog: "logs/\(name).log", readiness: readiness,
            stopSignal: stop, stopNeedsRequest: needsRequest, roles: RoleRule(root: .worker))
    }

    private func httpServer(_ name: String, port: Int) -> ProcessSpec {
        spec(
            name, [RuntimeTestSupport.python, "-m", "http.server", "--bind", "127.0.0.1", String(port)],
            readiness: .http(host: "127.0.0.1", port: port, path: "/"))
    }

    private func plan(_ processes: [ProcessSpec], port: Int = 0) -> Plan {
        Plan(
            topology: "test", directories: ["logs", "run"],
            files: [RenderedFile(path: "conf/x.conf", contents: "x = 1\n", mode: 0o600, component: "app")],
            processes: processes, frontDoorURL: "http://127.0.0.1:\(port)/")
    }

    private func launcher(
        _ events: Events, timeoutMs: Int = 10_000, graceMs: Int = 5000,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) -> StackLauncher {
        let registry = NoCleanupRegistry()
        return StackLauncher(
            registry: registry,
            stopper: StackStopper(registry: registry, gracefulTimeoutMs: graceMs),
            readinessTimeoutMs: timeoutMs, shouldStop: shouldStop)
    }

    func testLaunchInOrderServeAndStopCleanly() throws {
        let ports = try (PortAllocator().freePort(), PortAllocator().freePort())
        let events = Events()
        let stack = try launcher(events).launch(
            plan(
                [httpServer("app", port: ports.0), httpServer("front", port: ports.1)],
                port: ports.1), runDir: runDir, events: events.sink)
        sessions.formUnion(stack.sessions)
        XCTAssertEqual(events.types, ["stack", "starting", "ready", "starting", "ready"])
        XCTAssertEqual(events.all.compactMap(\.component), ["app", "app", "front", "front"])
        XCTAssertEqual(stack.sessions.count, 2)
        XCTAssertEqual(RuntimeTestSupport.read(runDir + "/conf/x.conf"), "x = 1\n")
        var st = stat()
        XCTAssertEqual(stat(runDir + "/conf/x.conf", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(LoopbackClient().get(host: "127.0.0.1", port: ports.1, path: "/")?.status, 200)

        let report = StackStopper(registry: NoCleanupRegistry()).stop(
            stack.components, clock: stack.clock, events: events.sink)
        XCTAssertTrue(report.clean, StackStopper.describe(report))
        XCTAssertLessThan(report.durationMs, 2000)
        XCTAssertEqual(events.types.last, "stopped")
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: stack.sessions).isEmpty)
        XCTAssertNoThrow(try PortAllocator().checkFree(host: "127.0.0.1", port: ports.0))
        XCTAssertNoThrow(try PortAllocator().checkFree(host: "127.0.0.1", port: ports.1))
    }

    func testExitBeforeReadyQuotesTheLogAndStopsWhatStarted() throws {
        let port = try PortAllocator().freePort()
        let events = Events()
        let broken = spec(
            "front", [RuntimeTestSupport.shell, "-c", "echo 'nginx: [emerg] unknown directive \"bogus\"' >&2; exit 3"],
            readiness: .tcp(host: "127.0.0.1", port: try PortAllocator().freePort()))
        XCTAssertThrowsError(
            try launcher(events).launch(
                plan([httpServer("app", port: port), broken]),
                runDir: runDir, events: events.sink)
        ) { error in
            guard case let LaunchError.exitedEarly(component, _, status) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(component, "front")
            XCTAssertEqual(status, .exited(3))
        }
        XCTAssertEqual(events.types, ["stack", "starting", "ready", "starting", "error", "stopped"])
        guard case let .error(message, tail) = events.all[4].kind else { return XCTFail() }
        XCTAssertTrue(message.contains("front") && message.contains("status 3"), message)
        XCTAssertEqual(tail.first, "==> logs/front.log <==")
        XCTAssertTrue(tail.contains("nginx: [emerg] unknown directive \"bogus\""), "\(tail)")
        let appSession = try XCTUnwrap(events.all[2].pid)
        sessions.insert(appSession)
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: [appSession]).isEmpty, "app must be stopped")
        XCTAssertNoThrow(try PortAllocator().checkFree(host: "127.0.0.1", port: port))
    }

    func testReadinessTimeoutNamesWhatTheProbeSaw() throws {
        let port = try PortAllocator().freePort()
        let events = Events()
        XCTAssertThrowsError(
            try launcher(events, timeoutMs: 300).launch(
                plan([spec("app", ["/bin/sleep", "300"], readiness: .tcp(host: "127.0.0.1", port: port))]),
                runDir: runDir, events: events.sink)
        ) { error in
            guard case let LaunchError.notReady(component, _, afterMs, lastSeen) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(component, "app")
            XCTAssertGreaterThanOrEqual(afterMs, 300)
            XCTAssertTrue(lastSeen.contains("\(port)"), lastSeen)
        }
        XCTAssertEqual(events.types.suffix(2), ["error", "stopped"])
        let sid = try XCTUnwrap(events.all.first { $0.typeName == "starting" }?.pid)
        sessions.insert(sid)
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: [sid]).isEmpty)
    }

    func testStubbornComponentIsKilledAfterItsGracePeriod() throws {
        let port = try PortAllocator().freePort()
        let events = Events()
        // TERM is ignored by the shell and by the server it leaves running: only SIGKILL ends it.
        let stubborn = spec(
            "app",
            [
                RuntimeTestSupport.shell, "-c",
                "trap '' TERM; \(RuntimeTestSupport.python) -m http.server --bind 127.0.0.1 \(port)",
            ],
            readiness: .http(host: "127.0.0.1", port: port, path: "/"))
        let stack = try launcher(events).launch(plan([stubborn]), runDir: runDir, events: events.sink)
        sessions.formUnion(stack.sessions)
        let clock = Stopwatch()
        let report = StackStopper(registry: NoCleanupRegistry(), gracefulTimeoutMs: 400)
            .stop(stack.components, clock: stack.clock, events: events.sink)
        XCTAssertEqual(report.forcedComponents, ["app"])
        XCTAssertEqual(report.killedProcesses, 2, "the shell and python")
        XCTAssertFalse(report.clean)
        XCTAssertLessThan(clock.elapsedMs, 1500)
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: stack.sessions).isEmpty)
        guard case let .stopped(clean, detail) = try XCTUnwrap(events.all.last).kind else { return XCTFail() }
        XCTAssertFalse(clean)
        XCTAssertTrue(detail.contains("app did not stop gracefully"), detail)
    }

    func testStopNeedsRequestWakesAServerBlockedInAccept() throws {
        let port = try PortAllocator().freePort()
        // Like flup: SIGTERM only sets a flag; the accept() loop notices it on the next connection.
        let script = """
            import signal, socket
            stop = False
            def term(*_):
                global stop
                stop = True
            signal.signal(signal.SIGTERM, term)
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", \(port))); s.listen(8)
            while not stop:
                c, _ = s.accept(); c.close()
            """
        let events = Events()
        let lazy = spec(
            "app", [RuntimeTestSupport.python, "-c", script], readiness: .tcp(host: "127.0.0.1", port: port),
            needsRequest: true)
        let stack = try launcher(events).launch(plan([lazy]), runDir: runDir, events: events.sink)
        sessions.formUnion(stack.sessions)
        let report = StackStopper(registry: NoCleanupRegistry(), gracefulTimeoutMs: 3000)
            .stop(stack.components, clock: stack.clock, events: events.sink)
        XCTAssertTrue(report.clean, StackStopper.describe(report))
        XCTAssertLessThan(report.durationMs, 1000)
    }

    func testMissingProgramFailsBeforeAnythingStarts() throws {
        let events = Events()
        XCTAssertThrowsError(
            try launcher(events).launch(
                plan([spec("front", ["/usr/sbin/no-such-nginx", "-t"], readiness: .withParent)]),
                runDir: runDir, events: events.sink)
        ) { error in
            XCTAssertTrue("\(error)".contains("/usr/sbin/no-such-nginx"), "\(error)")
            XCTAssertTrue("\(error)".contains("install-components"), "\(error)")
        }
        XCTAssertEqual(events.types, ["stack", "error", "stopped"])
    }

    func testStopRequestDuringLaunchStopsWhatStarted() throws {
        let port = try PortAllocator().freePort()
        let events = Events()
        let never = spec("app", ["/bin/sleep", "300"], readiness: .tcp(host: "127.0.0.1", port: port))
        let asked = Stopwatch()
        XCTAssertThrowsError(
            try launcher(events, shouldStop: { asked.elapsedMs > 200 }).launch(
                plan([never]), runDir: runDir, events: events.sink)
        ) { error in
            guard case LaunchError.interrupted = error else { return XCTFail("\(error)") }
        }
        let sid = try XCTUnwrap(events.all.first { $0.typeName == "starting" }?.pid)
        sessions.insert(sid)
        XCTAssertGreaterThanOrEqual(asked.elapsedMs, 200)
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: [sid]).isEmpty)
        XCTAssertEqual(events.types.suffix(2), ["error", "stopped"])
    }

    func testOrphansOfADeadRootAreKilledWithoutWaiting() throws {
        let port = try PortAllocator().freePort()
        let events = Events()
        // The root forks a long sleeper and then serves; killing the root leaves the sleeper orphaned.
        let app = spec(
            "app",
            [
                RuntimeTestSupport.shell, "-c",
                "sleep 300 & exec \(RuntimeTestSupport.python) -m http.server --bind 127.0.0.1 \(port)",
            ],
            readiness: .http(host: "127.0.0.1", port: port, path: "/"))
        let stack = try launcher(events).launch(plan([app]), runDir: runDir, events: events.sink)
        sessions.formUnion(stack.sessions)
        let root = try XCTUnwrap(stack.components.first?.process)
        XCTAssertTrue(root.send(SIGKILL))
        XCTAssertNotNil(root.wait(timeoutMs: 1000))
        XCTAssertEqual(LinuxProcessTable().liveMembers(ofSessions: stack.sessions).count, 1, "the orphaned sleep")
        let report = StackStopper(registry: NoCleanupRegistry(), gracefulTimeoutMs: 5000)
            .stop(stack.components, clock: stack.clock, events: events.sink)
        XCTAssertEqual(report.forcedComponents, ["app"])
        XCTAssertEqual(report.killedProcesses, 1)
        XCTAssertLessThan(report.durationMs, 500, "no grace period for orphans")
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: stack.sessions).isEmpty)
    }

    func testAPortAnsweredByAStrangerIsNotReadiness() throws {
        // Someone else (this test process) listens on the port the component should serve.
        let port = try PortAllocator().freePort()
        let fd = Loopback.tcpSocket()
        defer { close(fd) }
        XCTAssertEqual(Loopback.bind(fd, port: port), 0)
        XCTAssertEqual(listen(fd, 4), 0)
        let events = Events()
        XCTAssertThrowsError(
            try launcher(events).launch(
                plan([spec("app", ["/bin/sleep", "300"], readiness: .tcp(host: "127.0.0.1", port: port))]),
                runDir: runDir, events: events.sink)
        ) { error in
            guard case let LaunchError.portTaken(component, taken, holders) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(component, "app")
            XCTAssertEqual(taken, port)
            XCTAssertTrue(holders.contains { $0.contains("pid \(getpid())") }, "\(holders)")
        }
        let sid = try XCTUnwrap(events.all.first { $0.typeName == "starting" }?.pid)
        sessions.insert(sid)
        XCTAssertTrue(LinuxProcessTable().liveMembers(ofSessions: [sid]).isEmpty)
    }
}

extension EventRecorder {
    var types: [String] { all.map(\.typeName) }
}
