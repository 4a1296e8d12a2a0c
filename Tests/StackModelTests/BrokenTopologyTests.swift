import XCTest
@testable import StackModel

/// Broken topology files, each with the exact `FILE:LINE:COL: message` lines the loader must report.
final class BrokenTopologyTests: XCTestCase {
    struct Case: Sendable {
        let name: String
        let yaml: String
        let expected: [String]
    }

    /// A valid nginx -> gunicorn stack; cases below replace parts of it.
    static let front = """
        description: test stack
        components:
          front:
            server: nginx
            upstream: [app]
        """

    static let cases: [Case] = componentCases + stackCases

    /// Mistakes inside one component or at the top level.
    static let componentCases: [Case] = [
        Case(
            name: "misspelt top-level key",
            yaml: """
                description: x
                compnents:
                  app:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:1:1: missing 'components': a topology needs at least one server",
                "t.yaml:2:1: unknown key 'compnents'; did you mean 'components'?",
            ]),
        Case(
            name: "misspelt component key",
            yaml: front + """

                  app:
                    server: gunicorn
                    wrkers: 2
                """, expected: ["t.yaml:8:5: unknown key 'wrkers' in component 'app'; did you mean 'workers'?"]),
        Case(
            name: "unknown key without a close match",
            yaml: front + """

                  app:
                    server: gunicorn
                    colour: blue
                """,
            expected: [
                "t.yaml:8:5: unknown key 'colour' in component 'app'; expected one of: server, workers, threads, mode, listen, host, port, protocol, upstream, inside, supervises"
            ]),
        Case(
            name: "misspelt server kind",
            yaml: front + """

                  app:
                    server: gunicron
                """, expected: ["t.yaml:7:13: unknown server kind 'gunicron'; did you mean 'gunicorn'?"]),
        Case(
            name: "unknown server kind",
            yaml: front + """

                  app:
                    server: tomcat
                """,
            expected: [
                "t.yaml:7:13: unknown server kind 'tomcat'; expected one of: nginx, apache, lighttpd, gunicorn, uwsgi, waitress, werkzeug, flup, mod_wsgi, supervisord"
            ]),
        Case(
            name: "missing server",
            yaml: front + """

                  app:
                    workers: 2
                """,
            expected: [
                "t.yaml:6:3: component 'app' needs 'server: KIND' (one of: nginx, apache, lighttpd, gunicorn, uwsgi, waitress, werkzeug, flup, mod_wsgi, supervisord)"
            ]),
        Case(
            name: "string where an integer is expected",
            yaml: front + """

                  app:
                    server: gunicorn
                    workers: two
                """, expected: ["t.yaml:8:14: 'workers' must be an integer, got 'two'"]),
        Case(
            name: "quoted number",
            yaml: front + """

                  app:
                    server: gunicorn
                    threads: "2"
                """, expected: ["t.yaml:8:14: 'threads' must be an integer, got \"2\""]),
        Case(
            name: "workers out of range",
            yaml: front + """

                  app:
                    server: gunicorn
                    workers: 0
                    threads: 300
                """,
            expected: [
                "t.yaml:8:14: workers must be between 1 and 64, got 0",
                "t.yaml:9:14: threads must be between 1 and 256, got 300",
            ]),
        Case(
            name: "non-loopback host",
            yaml: """
                description: x
                components:
                  app:
                    server: gunicorn
                    host: 0.0.0.0
                """,
            expected: ["t.yaml:5:11: host '0.0.0.0' is not a loopback address: stacktop binds 127.0.0.1 or ::1 only"]),
        Case(
            name: "impossible ports",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    port: 0
                    upstream: [a, b, c]
                  a:
                    server: gunicorn
                    port: 70000
                  b:
                    server: gunicorn
                    port: -1
                  c:
                    server: gunicorn
                    port: http
                """,
            expected: [
                "t.yaml:5:11: port 0 is out of range: use 1..65535 or auto",
                "t.yaml:9:11: port 70000 is out of range: use 1..65535 or auto",
                "t.yaml:12:11: port -1 is out of range: use 1..65535 or auto",
                "t.yaml:15:11: port 'http' is not a number: use 1..65535 or auto",
            ]),
        Case(
            name: "duplicate fixed ports",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    port: 8080
                    upstream: [app]
                  app:
                    server: gunicorn
                    listen: tcp
                    port: 8080
                """, expected: ["t.yaml:10:11: port 8080 is already used by 'front' (line 5)"]),
        Case(
            name: "threads on nginx",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    threads: 4
                    upstream: [app]
                  app:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:5:5: 'threads' does not apply to nginx: its workers are single-threaded event loops; use 'workers'"
            ]),
        Case(
            name: "mode on gunicorn",
            yaml: front + """

                  app:
                    server: gunicorn
                    mode: fork
                """, expected: ["t.yaml:8:5: 'mode' does not apply to gunicorn: only flup has a fork/threaded mode"]),
        Case(
            name: "supervises on nginx",
            yaml: front + """

                    supervises: [app]
                  app:
                    server: gunicorn
                """,
            expected: ["t.yaml:6:5: 'supervises' does not apply to nginx: only supervisord supervises components"]),
    ]

    func testEveryBrokenFileReportsExactlyItsProblems() {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 25)
        for c in Self.cases {
            XCTAssertEqual(diagnostics(c.yaml), c.expected, c.name)
        }
    }

    func testThreeMistakesGiveExactlyThreeDiagnostics() {
        let yaml = """
            description: three mistakes
            components:
              front:
                server: nginx
                wrkers: 2
                host: 0.0.0.0
                upstream: [app]
              app:
                server: gunicron
            """
        XCTAssertEqual(
            diagnostics(yaml),
            [
                "t.yaml:5:5: unknown key 'wrkers' in component 'front'; did you mean 'workers'?",
                "t.yaml:6:11: host '0.0.0.0' is not a loopback address: stacktop binds 127.0.0.1 or ::1 only",
                "t.yaml:9:13: unknown server kind 'gunicron'; did you mean 'gunicorn'?",
            ])
    }

    /// The loader's diagnostics for `yaml` read from "t.yaml" (empty when it loads).
    func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try TopologyLoader.load(text: yaml, path: "t.yaml", demoAppDirectory: "/demo")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
