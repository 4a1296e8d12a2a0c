import XCTest
@testable import StackModel

/// Broken files whose mistakes are about how the components fit together.
extension BrokenTopologyTests {
    static let stackCases: [Case] = [
        Case(
            name: "waitress as a front server",
            yaml: """
                description: x
                components:
                  front:
                    server: waitress
                    upstream: [app]
                  app:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:5:5: waitress cannot be a front server: it serves a WSGI app itself and cannot forward requests"
            ]),
        Case(
            name: "flup as the front door",
            yaml: """
                description: x
                components:
                  app:
                    server: flup
                """,
            expected: [
                "t.yaml:4:13: flup cannot be the front door: it speaks FastCGI, not HTTP; put nginx or lighttpd in front of it"
            ]),
        Case(
            name: "mod_wsgi outside apache",
            yaml: """
                description: x
                components:
                  app:
                    server: mod_wsgi
                """,
            expected: ["t.yaml:4:13: mod_wsgi runs inside Apache: add 'inside: NAME' naming an apache component"]),
        Case(
            name: "mod_wsgi inside nginx",
            yaml: front + """

                  app:
                    server: mod_wsgi
                    inside: front
                """, expected: ["t.yaml:8:13: mod_wsgi must run inside an apache component, but 'front' is nginx"]),
        Case(
            name: "pool mixing protocols",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    upstream: [a, b]
                  a:
                    server: gunicorn
                  b:
                    server: uwsgi
                """,
            expected: [
                "t.yaml:5:5: the upstream pool of 'front' mixes protocols (a: http, b: uwsgi): members of one pool must speak one protocol"
            ]),
        Case(
            name: "protocol the front cannot forward",
            yaml: """
                description: x
                components:
                  front:
                    server: lighttpd
                    upstream: [app]
                  app:
                    server: uwsgi
                    protocol: uwsgi
                """, expected: ["t.yaml:8:15: lighttpd cannot forward uwsgi to 'app': it forwards fastcgi or http"]),
        Case(
            name: "protocol the app cannot speak",
            yaml: front + """

                  app:
                    server: gunicorn
                    protocol: fastcgi
                """, expected: ["t.yaml:8:15: gunicorn cannot speak fastcgi: it speaks http"]),
        Case(
            name: "unknown upstream name",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    upstream: [ap]
                  app:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:5:16: unknown component 'ap' in 'upstream'; did you mean 'app'?",
                "t.yaml:6:3: two front doors: 'front' and 'app' both take client requests; put one behind the other with 'upstream', or remove one",
            ]),
        Case(
            name: "supervised twice",
            yaml: front + """

                  app:
                    server: gunicorn
                  sup1:
                    server: supervisord
                    supervises: [front, app]
                  sup2:
                    server: supervisord
                    supervises: [app]
                """, expected: ["t.yaml:13:18: 'app' is already supervised by 'sup1'"]),
        Case(
            name: "supervision cycle and no front door",
            yaml: """
                description: x
                components:
                  a:
                    server: supervisord
                    supervises: [b]
                  b:
                    server: supervisord
                    supervises: [a]
                """,
            expected: [
                "t.yaml:2:1: no front door: a stack needs one server that takes client requests (nginx, apache, lighttpd or an app server answering HTTP)",
                "t.yaml:5:5: supervision cycle: a -> b -> a",
            ]),
        Case(
            name: "two front doors",
            yaml: """
                description: x
                components:
                  one:
                    server: gunicorn
                  two:
                    server: waitress
                """,
            expected: [
                "t.yaml:5:3: two front doors: 'one' and 'two' both take client requests; put one behind the other with 'upstream', or remove one"
            ]),
        Case(
            name: "bad component name",
            yaml: """
                description: x
                components:
                  App_1:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:3:3: bad component name 'App_1': use lowercase letters, digits and '-', starting with a letter"
            ]),
        Case(
            name: "missing description",
            yaml: """
                components:
                  app:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:1:1: missing 'description': say what the stack is, why people pick it and what happens when its parts die"
            ]),
        Case(
            name: "bad app module",
            yaml: """
                description: x
                app:
                  module: app.py
                components:
                  app:
                    server: gunicorn
                """,
            expected: [
                "t.yaml:3:11: app module 'app.py' must look like module:callable (e.g. app:app or mypkg.wsgi:application)"
            ]),
        Case(
            name: "bad traffic",
            yaml: """
                description: x
                components:
                  app:
                    server: gunicorn
                traffic:
                  rate: 0
                  mix:
                    slow: 1
                    /x: 0
                """,
            expected: [
                "t.yaml:6:9: traffic rate must be between 1 and 10000 requests/s, got 0",
                "t.yaml:8:5: traffic path 'slow' must start with '/'",
                "t.yaml:9:9: weight of '/x' must be a positive integer, got '0'",
            ]),
        Case(
            name: "duplicate component and key",
            yaml: """
                description: x
                components:
                  app:
                    server: gunicorn
                    workers: 2
                    workers: 3
                  app:
                    server: waitress
                """,
            expected: [
                "t.yaml:6:5: duplicate key 'workers' in component 'app' (first on line 5)",
                "t.yaml:7:3: duplicate component 'app' (first declared on line 3)",
            ]),
        Case(
            name: "YAML syntax error",
            yaml: """
                description: x
                components:
                  app: [gunicorn
                """,
            expected: [
                "t.yaml:4:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 8)"
            ]),
        Case(
            name: "uwsgi front door speaking uwsgi",
            yaml: """
                description: x
                components:
                  app:
                    server: uwsgi
                    protocol: uwsgi
                """, expected: ["t.yaml:5:15: 'app' is the front door, so it speaks http to clients, not uwsgi"]),
        Case(
            name: "threaded flup with workers",
            yaml: front + """

                  app:
                    server: flup
                    mode: threaded
                    workers: 3
                """,
            expected: [
                "t.yaml:9:5: 'workers' does not apply to flup in threaded mode: it is one process; use 'mode: fork' for several, or run it inside lighttpd"
            ]),
        Case(
            name: "port on a unix listener",
            yaml: front + """

                  app:
                    server: gunicorn
                    listen: unix
                    port: 9000
                """, expected: ["t.yaml:9:5: 'port' needs 'listen: tcp': 'app' listens on a unix socket"]),
        Case(
            name: "empty file", yaml: "",
            expected: ["t.yaml:1:1: the file is empty: a topology needs 'description' and 'components'"]),
        Case(
            name: "upstream to a supervisor",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    upstream: [sup]
                  sup:
                    server: supervisord
                    supervises: [front]
                """,
            expected: [
                "t.yaml:5:16: 'front' cannot forward to 'sup': upstream members must be app servers, and 'sup' is supervisord"
            ]),
        Case(
            name: "front server without upstream",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                """,
            expected: ["t.yaml:3:3: nginx 'front' needs 'upstream' naming at least one app server to forward to"]),
        Case(
            name: "wrong shape",
            yaml: """
                description: x
                components: [gunicorn]
                """, expected: ["t.yaml:2:13: 'components' must be a mapping, got a list"]),
        Case(
            name: "inside on gunicorn",
            yaml: front + """

                  app:
                    server: gunicorn
                    inside: front
                """,
            expected: [
                "t.yaml:8:5: 'inside' does not apply to gunicorn: only mod_wsgi (in apache) and flup (spawned by lighttpd) run inside another server"
            ]),
        Case(
            name: "member listed twice",
            yaml: """
                description: x
                components:
                  front:
                    server: nginx
                    upstream: [app, app]
                  app:
                    server: gunicorn
                """, expected: ["t.yaml:5:21: 'app' is listed twice in 'upstream'"]),
        Case(
            name: "front door on a unix socket",
            yaml: """
                description: x
                components:
                  app:
                    server: gunicorn
                    listen: unix
                """,
            expected: [
                "t.yaml:5:13: 'app' is the front door, so it listens on TCP: 'listen: unix' applies only behind a front server"
            ]),
        Case(
            name: "port on supervisord",
            yaml: front + """

                  app:
                    server: gunicorn
                  sup:
                    server: supervisord
                    port: 9001
                    supervises: [app]
                """,
            expected: [
                "t.yaml:10:5: 'port' does not apply to supervisord: it runs other components and serves no requests"
            ]),
        Case(
            name: "supervising a component that runs inside another",
            yaml: """
                description: x
                components:
                  front:
                    server: apache
                    upstream: [app]
                  app:
                    server: mod_wsgi
                    inside: front
                  sup:
                    server: supervisord
                    supervises: [front, app]
                """, expected: ["t.yaml:11:25: 'app' runs inside 'front': supervise 'front' instead"]),
        Case(
            name: "flup spawned by nginx",
            yaml: front + """

                  app:
                    server: flup
                    inside: front
                """,
            expected: [
                "t.yaml:8:13: flup can only run inside a lighttpd component (which spawns it), but 'front' is nginx"
            ]),
    ]
}
