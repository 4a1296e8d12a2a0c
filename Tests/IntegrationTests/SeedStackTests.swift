import XCTest
import Glibc
import Runtime
import StackModel
import StackRecipes
import Supervision
import TestSupport

/// Every seed stack, launched for real: the front door answers 200 from a worker of the stack,
/// and after the stop nothing of the stack is alive and its port is free.
final class SeedStackTests: XCTestCase {
    func testWerkzeug() throws { try launchServeStop("werkzeug") }
    func testWaitress() throws { try launchServeStop("waitress") }
    func testGunicorn() throws { try launchServeStop("gunicorn") }
    func testNginxGunicorn() throws { try launchServeStop("nginx-gunicorn") }
    func testNginxGunicornSupervisord() throws { try launchServeStop("nginx-gunicorn-supervisord") }
    func testUWSGI() throws { try launchServeStop("uwsgi") }
    func testNginxUWSGI() throws { try launchServeStop("nginx-uwsgi") }
    func testNginxUWSGISupervisord() throws { try launchServeStop("nginx-uwsgi-supervisord") }
    func testApacheModWSGI() throws { try launchServeStop("apache-mod-wsgi") }
    func testNginxFlup() throws { try launchServeStop("nginx-flup") }
    func testLighttpdFlup() throws { try launchServeStop("lighttpd-flup") }

    typealias Events = EventRecorder

    private func launchServeStop(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let paths = IntegrationSupport.paths
        let source = try TopologySource.load(name, paths: paths)
        let preparation = LaunchPreparation(paths: paths)
        let topology: Topology
        let context: LaunchContext
        do { (topology, context) = try preparation.prepareLaunch(source.topology) } catch {
            // The venv holds the Python servers: without it their binaries are missing.
            if case PreparationError.app = error { throw XCTSkip("\(error)") }
            throw error
        }
        defer { try? FileManager.default.removeItem(atPath: context.runDir) }
        let plan = try Recipes.plan(for: topology, context: context)
        try IntegrationSupport.skipIfProgramsMissing(plan)

        let registry: any CleanupRegistry =
            try TestProject.stacktopExecutable
            .map { try ReaperClient(argv: [$0, "_reap"]) } ?? NoCleanupRegistry()
        defer { (registry as? ReaperClient)?.finish() }
        let events = Events()
        let launcher = StackLauncher(registry: registry)
        let stack = try launcher.launch(plan, runDir: context.runDir, events: events.sink)
        let sessions = stack.sessions
        defer { _ = SessionSweeper().sweep(sessions: sessions) }

        let port = try XCTUnwrap(IntegrationSupport.port(of: stack.url), file: file, line: line)
        let response = try XCTUnwrap(
            LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/"),
            "no answer from \(stack.url)", file: file, line: line)
        XCTAssertEqual(response.status, 200, file: file, line: line)
        let workerPid = try XCTUnwrap(
            response.headers["x-worker-pid"].flatMap { Int32($0) },
            "no X-Worker-Pid in \(response.headers)", file: file, line: line)
        let members = IntegrationSupport.survivors(sessions).map(\.pid)
        XCTAssertTrue(
            members.contains(workerPid), "worker \(workerPid) is not in the stack's sessions \(sessions)",
            file: file, line: line)
        XCTAssertEqual(events.all.filter { $0.typeName == "ready" }.count, plan.processes.count, file: file, line: line)

        let report = launcher.stopper.stop(stack.components, clock: stack.clock, events: events.sink)
        print(
            "\(name): ready in \(stack.components.compactMap(\.readyAfterMs).reduce(0, +)) ms, "
                + StackStopper.describe(report) + " (\(members.count) processes)")
        XCTAssertEqual(report.survivors, [], file: file, line: line)
        XCTAssertEqual(IntegrationSupport.survivors(sessions).map(\.pid), [], file: file, line: line)
        XCTAssertNoThrow(try PortAllocator().checkFree(host: "127.0.0.1", port: port), file: file, line: line)
        XCTAssertEqual(events.all.last?.typeName, "stopped", file: file, line: line)
    }
}
