import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// Topology values full of shell and config metacharacters: each is either refused with a
/// message naming the value, or launched as plain data. The marker files their `touch`
/// commands would create never appear, so no shell (nor uWSGI's or supervisord's expansion)
/// interpreted them.
final class HardeningShellMetacharacterTests: XCTestCase {
    private var scratch: Scratch!
    private var markers: [String] = []

    override func setUpWithError() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        scratch = Scratch()
    }

    override func tearDown() {
        for marker in markers { unlink(marker) }
        scratch?.remove()
    }

    /// A command that would create a fresh marker file if a shell ran it.
    private func touch(_ tag: String, absolute: Bool = true) -> String {
        let name = "stacktop-pwned-\(getpid())-\(tag)"
        markers += ["/tmp/" + name, TestProject.root + "/" + name, "/" + name]
        return "touch " + (absolute ? "/tmp/" : "") + name
    }

    private func assertNoMarker(_ label: String, alsoIn dirs: [String] = []) {
        let name = "stacktop-pwned-\(getpid())-"
        for marker in markers { XCTAssertNotEqual(access(marker, F_OK), 0, "\(label): a shell ran: \(marker) exists") }
        for dir in dirs {
            let found =
                FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String }
                .filter { ($0 as NSString).lastPathComponent.hasPrefix(name) } ?? []
            XCTAssertEqual(found, [], "\(label): a shell ran in \(dir)")
        }
    }

    func testModuleNameWithMetacharactersIsRefused() throws {
        let module = "app;$(\(touch("m"))):app"
        let file = try scratch.topology("module.yaml", from: "gunicorn", app: ["module: \(Scratch.yaml(module))"])
        for command in [["check", file], ["up", file, "--json", "--for", "5"]] {
            let run = try UpRun(command)
            defer { run.cleanUp() }
            XCTAssertEqual(finish(run, command[0]), .exited(1))
            XCTAssertTrue(
                run.stdout.contains("must look like module:callable")
                    || run.stderr.contains("must look like module:callable"),
                "\(command[0]): \(run.stdout) \(run.stderr)")
            XCTAssertEqual(run.events(ofType: "stack").count, 0)
        }
        assertNoMarker("module")
    }

    /// An app dir (and a venv reached through it) whose path holds `;`, `$(…)`, backticks, both
    /// quotes, `%(x)s`, `$HOME`, a pipe and `&&`, with the demo app inside.
    func testAppDirAndVenvWithMetacharactersAreDataOrRefused() throws {
        let dir = scratch.path + "/m/d;$(\(touch("1")))`\(touch("2"))`'q\" %(x)s $HOME |\(touch("3")) && \(touch("4"))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: IntegrationSupport.paths.demoApp + "/app.py", toPath: dir + "/app.py")
        XCTAssertEqual(symlink(IntegrationSupport.paths.venv, dir + "/venv"), 0)
        let rows: [(what: String, app: [String], stacks: [String])] = [
            (
                "app dir", ["dir: \(Scratch.yaml(dir))"],
                [
                    "gunicorn", "uwsgi", "waitress", "nginx-flup", "nginx-gunicorn-supervisord", "apache-mod-wsgi",
                    "lighttpd-flup",
                ]
            ),
            (
                "venv", ["venv: \(Scratch.yaml(dir + "/venv"))"],
                ["gunicorn", "uwsgi", "waitress", "nginx-gunicorn-supervisord", "apache-mod-wsgi"]
            ),
        ]
        for row in rows {
            let runs = try row.stacks.map { stack in
                try UpRun([
                    "up", try scratch.topology("\(row.what.prefix(3))-\(stack).yaml", from: stack, app: row.app),
                    "--json", "--for", "0.3",
                ])
            }
            defer { for run in runs { run.cleanUp() } }
            for (stack, up) in zip(row.stacks, runs) {
                let label = "\(row.what) \(stack)"
                let status = finish(up, label)
                let components = try TopologySource.load(stack, paths: IntegrationSupport.paths).topology.components
                    .count
                switch status {
                case .exited(0):
                    XCTAssertEqual(up.events(ofType: "ready").count, components, "\(label): \(up.stdout)")
                    print("\(label): launched and served")
                case .exited(1):
                    // A refusal before anything started, naming the value and why.
                    let message = up.stderr + ((up.events(ofType: "error").first?["message"] as? String) ?? "")
                    XCTAssertTrue(message.contains("contains"), "\(label): \(message)")
                    XCTAssertEqual(up.events(ofType: "starting").count, 0, "\(label): \(up.stdout)")
                    print("\(label): refused: \(message.split(separator: "\n").first ?? "")")
                default:
                    XCTFail("\(label): \(String(describing: status)) \(up.stdout) \(up.stderr)")
                }
                assertNoMarker(label, alsoIn: [up.runDir, dir].compactMap { $0 })
            }
        }
    }

    /// The topology's name defaults to its file's stem, which may hold anything but `/`.
    func testTopologyFileNamedWithMetacharactersLaunches() throws {
        for seed in ["uwsgi", "nginx-gunicorn-supervisord", "apache-mod-wsgi", "lighttpd-flup"] {
            let stem = "\(seed)$(\(touch("a", absolute: false)))`\(touch("b", absolute: false))`;'\"x %(y)s"
            let file = try scratch.topology(stem + ".yaml", from: seed)
            let up = try UpRun(["up", file, "--json", "--for", "0.3"])
            defer { up.cleanUp() }
            XCTAssertEqual(finish(up, stem), .exited(0), "\(stem): \(up.stderr) \(up.stdout)")
            let runDir = up.runDir ?? ""
            let name = (runDir as NSString).lastPathComponent
            XCTAssertTrue(
                name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) },
                "run dir name \(name)")
            XCTAssertEqual(up.events(ofType: "stack").first?["topology"] as? String, stem, "the name itself is kept")
            assertNoMarker(stem, alsoIn: [runDir, scratch.path, IntegrationSupport.paths.demoApp])
        }
    }
}
