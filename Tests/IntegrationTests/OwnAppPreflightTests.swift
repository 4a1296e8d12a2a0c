import Foundation
import Glibc
import Installation
import XCTest
import Runtime
import TestSupport

/// What `check` finds before anything starts, and how `up` fails, for a user's own app whose
/// venv, dir, module or servers are wrong: each problem at the topology field at fault, naming
/// the venv or directory it means; under --json every failure ends with an `error` event.
final class OwnAppPreflightTests: XCTestCase {
    var scratch: Scratch!

    override func setUp() {
        scratch = Scratch()
    }

    override func tearDown() {
        scratch.remove()
    }

    /// Writes a topology in the scratch dir with these `app:` lines and components.
    func topology(_ name: String, app: [String], components: String = OwnAppPreflightTests.nginxGunicorn) throws
        -> String
    {
        let path = scratch.path + "/" + name + ".yaml"
        let text =
            "description: own app case \(name)\napp:\n" + app.map { "  " + $0 }.joined(separator: "\n") + "\n"
            + components
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let nginxGunicorn = """
        components:
          front:
            server: nginx
            upstream: [app]
          app:
            server: gunicorn

        """

    /// Runs `stacktop ARGS` to its end (bounded) and returns it.
    func run(_ arguments: [String], timeoutMs: Int = 60_000) throws -> (UpRun, ChildProcess.ExitStatus?) {
        let run = try UpRun(arguments)
        addTeardownBlock { run.cleanUp() }
        return (run, run.process.wait(timeoutMs: timeoutMs))
    }

    func writeApp(_ source: String, module: String = "shop") throws -> String {
        let dir = scratch.path + "/app"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try source.write(toFile: dir + "/\(module).py", atomically: true, encoding: .utf8)
        return dir
    }

    static let goodApp = """
        def application(environ, start_response):
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"shop\\n"]
        """

    func testCheckPointsAtTheAppFieldAtFault() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let venv = IntegrationSupport.paths.venv
        let dir = try writeApp(Self.goodApp + "\nnot_callable = 42\n")
        try "import no_such_module_here\n".write(toFile: dir + "/broken.py", atomically: true, encoding: .utf8)
        let q = Scratch.yaml
        let cases: [(name: String, app: [String], line: Int, column: Int, says: [String])] = [
            (
                "missing-venv",
                ["module: shop:application", "dir: \(q(dir))", "venv: \(q(scratch.path + "/no-venv"))"],
                5, 9, ["the venv \(scratch.path)/no-venv does not exist", "stacktop doctor"]
            ),
            (
                "not-a-venv", ["module: shop:application", "dir: \(q(dir))", "venv: \(q(dir))"],
                5, 9, ["the venv \(dir) has no bin/python"]
            ),
            (
                "missing-dir",
                ["module: shop:application", "dir: \(q(scratch.path + "/nowhere"))", "venv: \(q(venv))"],
                4, 8, ["the app dir \(scratch.path)/nowhere does not exist"]
            ),
            (
                "import-error", ["module: broken:application", "dir: \(q(dir))", "venv: \(q(venv))"],
                3, 11, ["cannot import broken", "ModuleNotFoundError", "no_such_module_here", venv]
            ),
            (
                "no-callable", ["module: shop:app", "dir: \(q(dir))", "venv: \(q(venv))"],
                3, 11, ["has no app"]
            ),
            (
                "not-callable", ["module: shop:not_callable", "dir: \(q(dir))", "venv: \(q(venv))"],
                3, 11, ["not_callable is not callable"]
            ),
        ]
        for c in cases {
            let file = try topology(c.name, app: c.app)
            let (check, status) = try run(["check", file])
            XCTAssertEqual(status, .exited(1), "\(c.name): \(check.stdout) \(check.stderr)")
            let line = check.stderr.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertTrue(line.hasPrefix("\(file):\(c.line):\(c.column): "), "\(c.name): \(check.stderr)")
            for phrase in c.says {
                XCTAssertTrue(line.contains(phrase), "\(c.name): '\(phrase)' not in \(line)")
            }
        }
        // mod_wsgi and uWSGI embed Debian's Python: a venv of another Python is refused at its field.
        let foreign = scratch.path + "/pyenv-venv"
        try FileManager.default.createDirectory(atPath: foreign + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: foreign + "/bin/python", withDestinationPath: "/usr/bin/python3")
        try "home = /opt/pyenv/versions/3.12.1/bin\nversion = 3.12.1\n".write(
            toFile: foreign + "/pyvenv.cfg", atomically: true, encoding: .utf8)
        for (name, components) in [
            (
                "foreign-mod-wsgi",
                "components:\n  front:\n    server: apache\n    upstream: [app]\n  app:\n    server: mod_wsgi\n    inside: front\n"
            ),
            ("foreign-uwsgi", "components:\n  app:\n    server: uwsgi\n"),
        ] {
            let file = try topology(
                name, app: ["module: shop:application", "dir: \(q(dir))", "venv: \(q(foreign))"], components: components
            )
            for arguments in [["check", file], ["up", file, "--json", "--for", "5"]] {
                let (run, status) = try run(arguments)
                XCTAssertEqual(status, .exited(1), "\(name): \(run.stdout) \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("\(file):5:9: "), "\(name) \(arguments[0]): \(run.stderr)")
                XCTAssertTrue(
                    run.stderr.contains(
                        "embeds Debian's Python 3.11, but \(foreign) was made by the Python in /opt/pyenv"),
                    "\(name): \(run.stderr)")
                XCTAssertEqual(run.events(ofType: "starting").count, 0, "\(name): nothing started")
            }
        }

        // The good app passes, with the same venv.
        let good = try topology("good", app: ["module: shop:application", "dir: \(q(dir))", "venv: \(q(venv))"])
        let (check, status) = try run(["check", good])
        XCTAssertEqual(status, .exited(0), check.stderr)
        XCTAssertEqual(check.stdout, "\(good): ok (2 components)\n")
    }

    /// A venv without the app server: check (and up) name the user's venv, the field `server:`
    /// and the pinned pip command, never the project's installer.
    func testAMissingServerNamesTheUsersVenvAndThePinnedInstall() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let dir = try writeApp(Self.goodApp)
        let venv = scratch.path + "/venv"
        // A venv with a python but no gunicorn: a symlinked interpreter is enough for the check.
        try FileManager.default.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: venv + "/bin/python", withDestinationPath: "/usr/bin/python3")
        try "home = /usr/bin\nversion = 3.11.2\n".write(toFile: venv + "/pyvenv.cfg", atomically: true, encoding: .utf8)
        let file = try topology(
            "no-gunicorn", app: ["module: shop:application", "dir: \(Scratch.yaml(dir))", "venv: venv"])
        for arguments in [["check", file], ["up", file, "--for", "5"]] {
            let (run, status) = try run(arguments)
            XCTAssertEqual(status, .exited(1), "\(arguments): \(run.stdout) \(run.stderr)")
            XCTAssertTrue(
                run.stderr.contains(
                    "\(file):11:13: app (gunicorn) needs the Python package gunicorn in the venv \(venv)"), run.stderr)
            XCTAssertTrue(run.stderr.contains("\(venv)/bin/pip install gunicorn==27.0.1"), run.stderr)
            XCTAssertTrue(run.stderr.contains("stacktop doctor \(file) --fix"), run.stderr)
            XCTAssertFalse(run.stderr.contains("install-components"), run.stderr)
        }
    }

    /// Every launch failure under --json ends the stream with an `error` event saying why,
    /// including those found before the launch (no venv, no app dir, a broken file).
    func testUpJSONEndsEveryFailureWithAnErrorEvent() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let dir = try writeApp(Self.goodApp)
        let venv = IntegrationSupport.paths.venv
        let q = Scratch.yaml
        let broken = scratch.path + "/broken.yaml"
        try "description: [unclosed\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            (
                try topology(
                    "json-no-venv",
                    app: ["module: shop:application", "dir: \(q(dir))", "venv: \(q(scratch.path + "/gone"))"]),
                "the venv \(scratch.path)/gone does not exist"
            ),
            (
                try topology(
                    "json-no-dir",
                    app: ["module: shop:application", "dir: \(q(scratch.path + "/elsewhere"))", "venv: \(q(venv))"]),
                "the app dir \(scratch.path)/elsewhere does not exist"
            ),
            (broken, "YAML syntax error"),
            (scratch.path + "/absent.yaml", "no topology"),
        ]
        for (file, why) in cases {
            let (up, status) = try run(["up", file, "--json", "--for", "5"])
            XCTAssertEqual(status, .exited(1), "\(file): \(up.stdout) \(up.stderr)")
            let lines = up.stdout.split(separator: "\n")
            XCTAssertFalse(lines.isEmpty, "\(file): no JSON at all; stderr: \(up.stderr)")
            let last = try XCTUnwrap(up.events.last, "\(file): \(up.stdout)")
            XCTAssertEqual(last["type"] as? String, "error", "\(file): \(up.stdout)")
            XCTAssertTrue((last["message"] as? String ?? "").contains(why), "\(file): \(last)")
            XCTAssertEqual(lines.count, up.events.count, "\(file): every line is JSON: \(up.stdout)")
        }
        // A failure during the launch (the app cannot be imported) too ends with `stopped`
        // after its `error`: the stream's end says why.
        try "raise RuntimeError('shop is closed')\n".write(
            toFile: dir + "/closed.py", atomically: true, encoding: .utf8)
        let closed = try topology(
            "json-import", app: ["module: closed:application", "dir: \(q(dir))", "venv: \(q(venv))"])
        let (up, status) = try run(["up", closed, "--json", "--for", "30"])
        XCTAssertEqual(status, .exited(1), up.stdout)
        XCTAssertEqual(up.events(ofType: "error").count, 1, up.stdout)
        XCTAssertTrue(
            (up.events(ofType: "error").first?["log_tail"] as? [String] ?? []).contains {
                $0.contains("shop is closed")
            }, up.stdout)
        XCTAssertEqual(up.events.last?["type"] as? String, "stopped", up.stdout)
    }

    /// A bad `dir` is named in every message about it: check, up, and up --json.
    func testABadDirIsNamed() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let file = scratch.path + "/regular-file"
        try "not a directory".write(toFile: file, atomically: true, encoding: .utf8)
        let stack = try topology("bad-dir", app: ["module: shop:application", "dir: \(Scratch.yaml(file))"])
        let (check, _) = try run(["check", stack])
        XCTAssertTrue(check.stderr.contains("\(stack):4:8: the app dir \(file) is not a directory"), check.stderr)
        let (up, status) = try run(["up", stack, "--for", "5"])
        XCTAssertEqual(status, .exited(1))
        XCTAssertTrue(up.stderr.contains("the app dir \(file) is not a directory"), up.stderr)
        XCTAssertFalse(up.stdout.contains("starting"), "nothing is started: \(up.stdout)")
    }

    /// `stacktop` found through PATH, run from the user's own directory (argv[0] has no
    /// directory; no STACKTOP_HOME): it still finds its project, its topologies and its .venv.
    func testStacktopOnThePathFindsItsProjectFromAnyDirectory() throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["stacktop", "list", "--json"]
        process.environment = [
            "PATH": (exe as NSString).deletingLastPathComponent + ":/usr/bin:/bin", "LANG": "C.UTF-8",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("\"name\":\"nginx-gunicorn\""), text)
    }
}
