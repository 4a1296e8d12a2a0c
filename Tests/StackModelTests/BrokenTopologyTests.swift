import XCTest
@testable import StackModel

/// Broken topology files, each with the exact `FILE:LINE:COL: message` lines the loader must report.
final class BrokenTopologyTests: XCTestCase {
    struct Case {
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

    static let cases: [Case] = [
        Case(name: "misspelt top-level key", yaml: """
        description: x
        compnents:
          app:
            server: gunicorn
        """, expected: [
            "t.yaml:1:1: missing 'components': a topology needs at least one server",
            "t.yaml:2:1: unknown key 'compnents'; did you mean 'components'?",
        ]),
        Case(name: "misspelt component key", yaml: front + """

          app:
            server: gunicorn
            wrkers: 2
        """, expected: ["t.yaml:8:5: unknown key 'wrkers' in component 'app'; did you mean 'workers'?"]),
        Case(name: "unknown key without a close match", yaml: front + """

          app:
            server: gunicorn
            colour: blue
        """, expected: ["t.yaml:8:5: unknown key 'colour' in component 'app'; expected one of: server, workers, threads, mode, listen, host, port, protocol, upstream, inside, supervises"]),
        Case(name: "misspelt server kind", yaml: front + """

          app:
            server: gunicron
        """, expected: ["t.yaml:7:13: unknown server kind 'gunicron'; did you mean 'gunicorn'?"]),
        Case(name: "unknown server kind", yaml: front + """

          app:
            server: tomcat
        """, expected: ["t.yaml:7:13: unknown server kind 'tomcat'; expected one of: nginx, apache, lighttpd, gunicorn, uwsgi, waitress, werkzeug, flup, mod_wsgi, supervisord"]),
        Case(name: "missing server", yaml: front + """

          app:
            workers: 2
        """, expected: ["t.yaml:6:3: component 'app' needs 'server: KIND' (one of: nginx, apache, lighttpd, gunicorn, uwsgi, waitress, werkzeug, flup, mod_wsgi, supervisord)"]),
        Case(name: "string where an integer is expected", yaml: front + """

          app:
            server: gunicorn
            workers: two
        """, expected: ["t.yaml:8:14: 'workers' must be an integer, got 'two'"]),
        Case(name: "quoted number", yaml: front + """

          app:
            server: gunicorn
            threads: "2"
        """, expected: ["t.yaml:8:14: 'threads' must be an integer, got \"2\""]),
        Case(name: "workers out of range", yaml: front + """

          app:
            server: gunicorn
            workers: 0
            threads: 300
        """, expected: [
            "t.yaml:8:14: workers must be between 1 and 64, got 0",
            "t.yaml:9:14: threads must be between 1 and 256, got 300",
        ]),
        Case(name: "non-loopback host", yaml: """
        description: x
        components:
          app:
            server: gunicorn
            host: 0.0.0.0
        """, expected: ["t.yaml:5:11: host '0.0.0.0' is not a loopback address: stacktop binds 127.0.0.1 or ::1 only"]),
        Case(name: "impossible ports", yaml: """
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
        """, expected: [
            "t.yaml:5:11: port 0 is out of range: use 1..65535 or auto",
            "t.yaml:9:11: port 70000 is out of range: use 1..65535 or auto",
            "t.yaml:12:11: port -1 is out of range: use 1..65535 or auto",
            "t.yaml:15:11: port 'http' is not a number: use 1..65535 or auto",
        ]),
        Case(name: "duplicate fixed ports", yaml: """
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
        Case(name: "threads on nginx", yaml: """
        description: x
        components:
          front:
            server: nginx
            threads: 4
            upstream: [app]
          app:
            server: gunicorn
        """, expected: ["t.yaml:5:5: 'threads' does not apply to nginx: its workers are single-threaded event loops; use 'workers'"]),
        Case(name: "mode on gunicorn", yaml: front + """

          app:
            server: gunicorn
            mode: fork
        """, expected: ["t.yaml:8:5: 'mode' does not apply to gunicorn: only flup has a fork/threaded mode"]),
        Case(name: "supervises on nginx", yaml: front + """

            supervises: [app]
          app:
            server: gunicorn
        """, expected: ["t.yaml:6:5: 'supervises' does not apply to nginx: only supervisord supervises components"]),
        Case(name: "waitress as a front server", yaml: """
        description: x
        components:
          front:
            server: waitress
            upstream: [app]
          app:
            server: gunicorn
        """, expected: ["t.yaml:5:5: waitress cannot be a front server: it serves a WSGI app itself and cannot forward requests"]),
        Case(name: "flup as the front door", yaml: """
        description: x
        components:
          app:
            server: flup
        """, expected: ["t.yaml:4:13: flup cannot be the front door: it speaks FastCGI, not HTTP; put nginx or lighttpd in front of it"]),
        Case(name: "mod_wsgi outside apache", yaml: """
        description: x
        components:
          app:
            server: mod_wsgi
        """, expected: ["t.yaml:4:13: mod_wsgi runs inside Apache: add 'inside: NAME' naming an apache component"]),
        Case(name: "mod_wsgi inside nginx", yaml: front + """

          app:
            server: mod_wsgi
            inside: front
        """, expected: ["t.yaml:8:13: mod_wsgi must run inside an apache component, but 'front' is nginx"]),
        Case(name: "pool mixing protocols", yaml: """
        description: x
        components:
          front:
            server: nginx
            upstream: [a, b]
          a:
            server: gunicorn
          b:
            server: uwsgi
        """, expected: ["t.yaml:5:5: the upstream pool of 'front' mixes protocols (a: http, b: uwsgi): members of one pool must speak one protocol"]),
        Case(name: "protocol the front cannot forward", yaml: """
        description: x
        components:
          front:
            server: lighttpd
            upstream: [app]
          app:
            server: uwsgi
            protocol: uwsgi
        """, expected: ["t.yaml:8:15: lighttpd cannot forward uwsgi to 'app': it forwards fastcgi or http"]),
        Case(name: "protocol the app cannot speak", yaml: front + """

          app:
            server: gunicorn
            protocol: fastcgi
        """, expected: ["t.yaml:8:15: gunicorn cannot speak fastcgi: it speaks http"]),
        Case(name: "unknown upstream name", yaml: """
        description: x
        components:
          front:
            server: nginx
            upstream: [ap]
          app:
            server: gunicorn
        """, expected: [
            "t.yaml:5:16: unknown component 'ap' in 'upstream'; did you mean 'app'?",
            "t.yaml:6:3: two front doors: 'front' and 'app' both take client requests; put one behind the other with 'upstream', or remove one",
        ]),
        Case(name: "supervised twice", yaml: front + """

          app:
            server: gunicorn
          sup1:
            server: supervisord
            supervises: [front, app]
          sup2:
            server: supervisord
            supervises: [app]
        """, expected: ["t.yaml:13:18: 'app' is already supervised by 'sup1'"]),
        Case(name: "supervision cycle and no front door", yaml: """
        description: x
        components:
          a:
            server: supervisord
            supervises: [b]
          b:
            server: supervisord
            supervises: [a]
        """, expected: [
            "t.yaml:2:1: no front door: a stack needs one server that takes client requests (nginx, apache, lighttpd or an app server answering HTTP)",
            "t.yaml:5:5: supervision cycle: a -> b -> a",
        ]),
        Case(name: "two front doors", yaml: """
        description: x
        components:
          one:
            server: gunicorn
          two:
            server: waitress
        """, expected: ["t.yaml:5:3: two front doors: 'one' and 'two' both take client requests; put one behind the other with 'upstream', or remove one"]),
        Case(name: "bad component name", yaml: """
        description: x
        components:
          App_1:
            server: gunicorn
        """, expected: ["t.yaml:3:3: bad component name 'App_1': use lowercase letters, digits and '-', starting with a letter"]),
        Case(name: "missing description", yaml: """
        components:
          app:
            server: gunicorn
        """, expected: ["t.yaml:1:1: missing 'description': say what the stack is, why people pick it and what happens when its parts die"]),
        Case(name: "bad app module", yaml: """
        description: x
        app:
          module: app.py
        components:
          app:
            server: gunicorn
        """, expected: ["t.yaml:3:11: app module 'app.py' must look like module:callable (e.g. app:app or mypkg.wsgi:application)"]),
        Case(name: "bad traffic", yaml: """
        description: x
        components:
          app:
            server: gunicorn
        traffic:
          rate: 0
          mix:
            slow: 1
            /x: 0
        """, expected: [
            "t.yaml:6:9: traffic rate must be between 1 and 10000 requests/s, got 0",
            "t.yaml:8:5: traffic path 'slow' must start with '/'",
            "t.yaml:9:9: weight of '/x' must be a positive integer, got '0'",
        ]),
        Case(name: "duplicate component and key", yaml: """
        description: x
        components:
          app:
            server: gunicorn
            workers: 2
            workers: 3
          app:
            server: waitress
        """, expected: [
            "t.yaml:6:5: duplicate key 'workers' in component 'app' (first on line 5)",
            "t.yaml:7:3: duplicate component 'app' (first declared on line 3)",
        ]),
        Case(name: "YAML syntax error", yaml: """
        description: x
        components:
          app: [gunicorn
        """, expected: ["t.yaml:4:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 8)"]),
        Case(name: "uwsgi front door speaking uwsgi", yaml: """
        description: x
        components:
          app:
            server: uwsgi
            protocol: uwsgi
        """, expected: ["t.yaml:5:15: 'app' is the front door, so it speaks http to clients, not uwsgi"]),
        Case(name: "threaded flup with workers", yaml: front + """

          app:
            server: flup
            mode: threaded
            workers: 3
        """, expected: ["t.yaml:9:5: 'workers' does not apply to flup in threaded mode: it is one process; use 'mode: fork' for several, or run it inside lighttpd"]),
        Case(name: "port on a unix listener", yaml: front + """

          app:
            server: gunicorn
            listen: unix
            port: 9000
        """, expected: ["t.yaml:9:5: 'port' needs 'listen: tcp': 'app' listens on a unix socket"]),
        Case(name: "empty file", yaml: "", expected: ["t.yaml:1:1: the file is empty: a topology needs 'description' and 'components'"]),
        Case(name: "upstream to a supervisor", yaml: """
        description: x
        components:
          front:
            server: nginx
            upstream: [sup]
          sup:
            server: supervisord
            supervises: [front]
        """, expected: ["t.yaml:5:16: 'front' cannot forward to 'sup': upstream members must be app servers, and 'sup' is supervisord"]),
        Case(name: "front server without upstream", yaml: """
        description: x
        components:
          front:
            server: nginx
        """, expected: ["t.yaml:3:3: nginx 'front' needs 'upstream' naming at least one app server to forward to"]),
        Case(name: "wrong shape", yaml: """
        description: x
        components: [gunicorn]
        """, expected: ["t.yaml:2:13: 'components' must be a mapping, got a list"]),
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
        XCTAssertEqual(diagnostics(yaml), [
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
