import Foundation
import Glibc
import XCTest
import Runtime
import StackModel
import StackRecipes
import Supervision
import TestSupport

/// Bad situations a user can walk into: each ends with one clear message naming the cause,
/// within a bound, with nothing left running.
final class HardeningBadInputTests: XCTestCase {
    private var scratch: Scratch!

    override func setUpWithError() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        scratch = Scratch()
    }

    override func tearDown() { scratch?.remove() }

    typealias Events = EventRecorder

    // MARK: - a server program is missing

    /// Missing server binaries cannot be uninstalled for a test; `Toolchain` points the launch
    /// at paths that do not exist instead (the library API `up` uses).
    func testMissingServerProgramIsNamedBeforeAnythingStarts() throws {
        let missing = "/nonexistent-\(getpid())"
        let cases: [(stack: String, tools: Toolchain, component: String, path: String)] = [
            ("nginx-gunicorn", Toolchain(nginx: missing + "/nginx"), "front", missing + "/nginx"),
            ("apache-mod-wsgi", Toolchain(apache: missing + "/apache2"), "front", missing + "/apache2"),
            ("apache-mod-wsgi", Toolchain(apacheModules: missing), "app", missing + "/mod_wsgi.so"),
            ("lighttpd-flup", Toolchain(lighttpd: missing + "/lighttpd"), "front", missing + "/lighttpd"),
            ("uwsgi", Toolchain(uwsgi: missing + "/uwsgi-core"), "app", missing + "/uwsgi-core"),
            (
                "nginx-gunicorn-supervisord", Toolchain(supervisord: missing + "/supervisord"), "supervisor",
                missing + "/supervisord"
            ),
        ]
        for (index, c) in cases.enumerated() {
            let label = "\(c.stack) without \(c.path)"
            let loaded = try TopologySource.load(c.stack, paths: IntegrationSupport.paths)
            // One runs root per case: two launches of a topology by one process within one
            // second would get the same run dir name, which `RunDirectory.create` refuses.
            let preparation = LaunchPreparation(
                paths: IntegrationSupport.paths,
                runDirectories: RunDirectory(root: scratch.path + "/runs\(index)"), tools: c.tools)
            let (topology, context) = try preparation.prepareLaunch(loaded.topology)
            let plan = try Recipes.plan(for: topology, context: context)
            let events = Events()
            XCTAssertThrowsError(
                try StackLauncher(registry: NoCleanupRegistry(), tools: c.tools).launch(
                    plan, runDir: context.runDir, events: events.sink)
            ) { error in
                guard case let LaunchError.missingProgram(component, _, path) = error else {
                    return XCTFail("\(label): \(error)")
                }
                XCTAssertEqual(component, c.component, label)
                XCTAssertEqual(path, c.path, label)
                XCTAssertTrue("\(error)".contains("apt-get install"), "\(label): says how to install it: \(error)")
            }
            XCTAssertEqual(events.all.map(\.typeName), ["stack", "error", "stopped"], "\(label): nothing was started")
        }
    }

    /// Through the CLI: a topology's own venv lacks gunicorn.
    func testPythonServerMissingFromTheTopologysVenvNamesThatVenvsPip() throws {
        let venv = scratch.path + "/venv-without-gunicorn"
        try FileManager.default.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        XCTAssertEqual(symlink("/usr/bin/python3", venv + "/bin/python"), 0)
        let file = try scratch.topology("novenv.yaml", from: "gunicorn", app: ["venv: \(Scratch.yaml(venv))"])
        let up = try UpRun(["up", file, "--json", "--for", "5"])
        defer { up.cleanUp() }
        XCTAssertEqual(finish(up, "missing gunicorn"), .exited(1))
        let message = up.events(ofType: "error").first?["message"] as? String ?? ""
        XCTAssertTrue(
            message.contains(
                "app (gunicorn) needs the Python package gunicorn in the venv \(venv), where it is not installed"),
            message)
        XCTAssertTrue(message.contains("\(venv)/bin/pip install gunicorn==27.0.1"), message)
        XCTAssertFalse(
            message.contains("install-components"), "the project's installer does not fill this venv: \(message)")
        XCTAssertEqual(up.events(ofType: "starting").count, 0, "nothing was started")
    }

    // MARK: - a fixed port is busy

    func testBusyFixedPortNamesTheProcessHoldingIt() throws {
        let (listener, port) = try XCTUnwrap(
            Loopback.listener(backlog: 1, flags: Int32(SOCK_CLOEXEC.rawValue)),
            "cannot listen on 127.0.0.1")
        defer { close(listener) }
        let me = LinuxProcessTable().record(of: getpid())?.comm ?? "?"

        for seed in ["waitress", "nginx-gunicorn"] {
            let file = try scratch.topology("busy-\(seed).yaml", from: seed, port: port)
            let up = try UpRun(["up", file, "--json", "--for", "5"])
            defer { up.cleanUp() }
            XCTAssertEqual(finish(up, "busy \(seed)"), .exited(1), up.stderr)
            XCTAssertTrue(up.stderr.contains("port \(port) on 127.0.0.1 is not available"), up.stderr)
            XCTAssertTrue(up.stderr.contains("held by pid \(getpid()) ("), "names the test runner: \(up.stderr)")
            XCTAssertTrue(up.stderr.contains(me), "names \(me): \(up.stderr)")
            XCTAssertEqual(up.events(ofType: "stack").count, 0, "nothing was launched: \(up.stdout)")
        }
    }

    // MARK: - the run dir cannot be created

    func testRunDirThatCannotBeCreatedIsAClearError() throws {
        // As root, permission bits do not stop mkdir; a path under a regular file always fails.
        let file = scratch.path + "/a-file"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let up = try UpRun(
            ["up", "waitress", "--json", "--for", "5"], environment: ["STACKTOP_RUNS_DIR": file + "/runs"])
        defer { up.cleanUp() }
        XCTAssertEqual(finish(up, "unwritable runs dir"), .exited(1))
        XCTAssertTrue(up.stderr.contains("cannot create the run dir: \(file)/runs: Not a directory"), up.stderr)
        // Nothing was launched; under --json the stream is one `error` event saying why.
        XCTAssertEqual(up.events.map { $0["type"] as? String }, ["error"], up.stdout)
        XCTAssertTrue(
            (up.events.first?["message"] as? String ?? "").contains("cannot create the run dir: \(file)/runs"),
            up.stdout)

        // The override itself: a launch puts its run dir there.
        let runs = scratch.path + "/runs"
        let ok = try UpRun(["up", "waitress", "--json", "--for", "0.2"], environment: ["STACKTOP_RUNS_DIR": runs])
        defer { ok.cleanUp() }
        XCTAssertEqual(finish(ok, "custom runs dir"), .exited(0), ok.stderr)
        XCTAssertTrue(ok.runDir?.hasPrefix(runs + "/waitress-") == true, "\(ok.runDir ?? "no run dir")")
    }
}
