import Foundation
import StackModel
import XCTest
@testable import StackRecipes

/// Topology values never reach a shell and cannot change the meaning of a config file.
final class QuotingTests: XCTestCase {
    /// A module:callable written to break things: shell syntax, quotes, `%` expansions, spaces.
    static let hostileModule = "it's;touch /tmp/pwned %(ENV_HOME)s #x:$(id)`id`"

    func testSupervisorWordsSurviveShlexAndPercentExpansion() {
        let cases: [(String, String)] = [
            ("/usr/bin/uwsgi-core", "/usr/bin/uwsgi-core"),
            ("--listen=127.0.0.1:8000", "--listen=127.0.0.1:8000"),
            ("50%", "50%%"),
            ("", "''"),
            ("a b", "'a'\\ 'b'"),
            ("it's", "'it'\\''s'"),
            ("x ;y", "'x'\\ ';y'"),
            ("$(id)", "'$(id)'"),
            ("daemon off;", "'daemon'\\ 'off;'"),
        ]
        for (word, quoted) in cases {
            XCTAssertEqual(ConfigSyntax.supervisorWord(word), quoted, word)
        }
    }

    func testPythonLiteralsEscapeEverything() {
        let cases: [(String, String)] = [
            ("app:app", "'app:app'"),
            ("it's", "'it\\'s'"),
            ("a\\b", "'a\\\\b'"),
            ("line\nbreak", "'line\\nbreak'"),
            ("bell\u{07}", "'bell\\x07'"),
            ("café", "'café'"),
        ]
        for (s, literal) in cases {
            XCTAssertEqual(ConfigSyntax.python(s), literal, s)
        }
    }

    func supervisedWaitress(module: String) -> Topology {
        var t = SeedStacks.topology("waitress", module: module)
        t.components.append(Component(name: "supervisor", kind: .supervisord, supervises: ["front"]))
        return t
    }

    func testAHostileModuleIsOneArgvElementAndQuotedInSupervisordConf() throws {
        let plan = try Recipes.plan(
            for: supervisedWaitress(module: Self.hostileModule), context: SeedStacks.snapshotContext)
        let waitress = try XCTUnwrap(plan.processes.first { $0.component == "front" })
        XCTAssertEqual(waitress.argv.last, Self.hostileModule)
        XCTAssertEqual(waitress.argv.dropLast().last, "--")
        let conf = try XCTUnwrap(plan.files.first { $0.path.hasSuffix("supervisord.conf") }).contents
        let command = try XCTUnwrap(conf.split(separator: "\n").first { $0.hasPrefix("command=") })
        XCTAssertEqual(
            String(command),
            "command=/VENV/bin/waitress-serve --listen=127.0.0.1:8000 --threads=4 -- "
                + #"'it'\''s;touch'\ '/tmp/pwned'\ '%%(ENV_HOME)s'\ '#x:$(id)`id`'"#)
    }

    func testAHostileModuleIsAPythonLiteralInTheShimAndGunicornConfig() throws {
        var t = SeedStacks.topology("nginx-uwsgi", module: Self.hostileModule)
        var plan = try Recipes.plan(for: t, context: SeedStacks.snapshotContext)
        let shim = try XCTUnwrap(plan.files.first { $0.path == "scripts/wsgi.py" }).contents
        XCTAssertTrue(shim.contains(#"MODULE = 'it\'s;touch /tmp/pwned %(ENV_HOME)s #x'"#), shim)
        XCTAssertTrue(shim.contains("CALLABLE = '$(id)`id`'"), shim)
        t = SeedStacks.topology("gunicorn", module: Self.hostileModule)
        plan = try Recipes.plan(for: t, context: SeedStacks.snapshotContext)
        let conf = try XCTUnwrap(plan.files.first { $0.path.hasSuffix("gunicorn.conf.py") }).contents
        XCTAssertTrue(conf.contains(#"wsgi_app = 'it\'s;touch /tmp/pwned %(ENV_HOME)s #x:$(id)`id`'"#), conf)
        XCTAssertEqual(plan.processes[0].argv, ["/VENV/bin/gunicorn", "--config", "/RUN/conf/front/gunicorn.conf.py"])
    }

    func testSupervisordItselfReadsBackTheExactArgvAndEnvironment() throws {
        // Parses the rendered supervisord.conf with supervisor's own code, when it is installed.
        let python = "/usr/bin/python3"
        guard FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/supervisor/options.py") else {
            throw XCTSkip("supervisor is not installed")
        }
        let venv = "/opt/my venv's 100%"
        var t = supervisedWaitress(module: Self.hostileModule)
        t.app.venv = venv
        let plan = try Recipes.plan(for: t, context: SeedStacks.snapshotContext)
        let conf = try XCTUnwrap(plan.files.first { $0.path.hasSuffix("supervisord.conf") }).contents
        let script = """
            import json, shlex, sys
            from supervisor.options import UnhosedConfigParser, expand
            from supervisor.datatypes import dict_of_key_value_pairs
            p = UnhosedConfigParser()
            p.read_string(sys.stdin.read())
            x = {"ENV_HOME": "HOME-EXPANDED", "here": "/RUN"}
            cmd = shlex.split(expand(p.get("program:front", "command"), x, "command"))
            env = dict_of_key_value_pairs(expand(p.get("program:front", "environment"), x, "environment"))
            print(json.dumps({"argv": cmd, "env": env, "dir": expand(p.get("program:front", "directory"), x, "directory")}))
            """
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: python)
        proc.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        proc.standardInput = input
        proc.standardOutput = output
        try proc.run()
        input.fileHandleForWriting.write(conf.data(using: .utf8)!)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        proc.waitUntilExit()
        XCTAssertEqual(proc.terminationStatus, 0)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let spec = try XCTUnwrap(plan.processes.first { $0.component == "front" })
        XCTAssertEqual(parsed["argv"] as? [String], spec.argv)
        XCTAssertEqual(parsed["env"] as? [String: String], spec.environment)
        XCTAssertEqual(parsed["dir"] as? String, spec.workingDirectory)
        XCTAssertEqual(spec.argv[0], venv + "/bin/waitress-serve")
    }
}
