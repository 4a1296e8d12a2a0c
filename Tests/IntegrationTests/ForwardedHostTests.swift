import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// An app that redirects to an absolute URL built from the request, behind every kind of front
/// server and every hop protocol: the Location must keep the front door's 127.0.0.1:PORT (the
/// Host the client sent), and the app must learn who asked and over which scheme.
final class ForwardedHostTests: XCTestCase {
    /// A WSGI app (standard library only): `/go` answers 302 to `wsgiref.util.application_uri`
    /// + `landed`, which is built from HTTP_HOST (else SERVER_NAME:SERVER_PORT), and echoes what
    /// it saw of the client in headers.
    static let app = """
        from wsgiref.util import application_uri

        def app(environ, start_response):
            seen = [
                ("X-Seen-Host", environ.get("HTTP_HOST", "-")),
                ("X-Seen-Forwarded-For", environ.get("HTTP_X_FORWARDED_FOR", "-")),
                ("X-Seen-Forwarded-Proto", environ.get("HTTP_X_FORWARDED_PROTO", "-")),
                ("X-Seen-Remote-Addr", environ.get("REMOTE_ADDR", "-")),
                ("X-Seen-Scheme", environ.get("wsgi.url_scheme", "-")),
            ]
            if environ.get("PATH_INFO") == "/go":
                start_response("302 Found", [("Location", application_uri(environ) + "landed")] + seen)
                return [b""]
            start_response("200 OK", [("Content-Type", "text/plain")] + seen)
            return [b"ok\\n"]
        """

    /// Each front server on each hop it speaks, as (label, seed topology or inline components,
    /// whether a proxy hop sits between the front and the app).
    static let stacks: [(label: String, seed: String?, components: String?, proxied: Bool)] = [
        ("nginx-http", "nginx-gunicorn", nil, true),
        ("nginx-uwsgi", "nginx-uwsgi", nil, true),
        ("nginx-fastcgi", "nginx-flup", nil, true),
        ("nginx-pool-http", "nginx-pool", nil, true),
        ("apache-mod-wsgi", "apache-mod-wsgi", nil, false),
        (
            "apache-http", nil,
            """
            components:
              front:
                server: apache
                upstream: [app]
              app:
                server: gunicorn
            """, true
        ),
        ("lighttpd-fastcgi", "lighttpd-flup", nil, false),
        (
            "lighttpd-http", nil,
            """
            components:
              front:
                server: lighttpd
                upstream: [app]
              app:
                server: gunicorn
            """, true
        ),
    ]

    func testRedirectsKeepTheFrontDoorsHostAndPortThroughEveryFrontServer() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let scratch = Scratch()
        defer { scratch.remove() }
        let appDir = scratch.path + "/redirector"
        try FileManager.default.createDirectory(atPath: appDir, withIntermediateDirectories: true)
        try Self.app.write(toFile: appDir + "/redirector.py", atomically: true, encoding: .utf8)
        let app = ["module: redirector:app", "dir: \(Scratch.yaml(appDir))"]

        var files: [String] = []
        for stack in Self.stacks {
            if let seed = stack.seed {
                files.append(try scratch.topology("redirect-\(stack.label).yaml", from: seed, app: app))
            } else {
                let path = scratch.path + "/redirect-\(stack.label).yaml"
                let text =
                    "description: redirect test \(stack.label)\napp:\n" + app.map { "  " + $0 }.joined(separator: "\n")
                    + "\n" + (stack.components ?? "") + "\n"
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                files.append(path)
            }
        }
        // All at once, to keep the test's wall time near one launch.
        let runs = try files.map { try UpRun(["up", $0, "--json", "--for", "90"]) }
        defer { for run in runs { run.cleanUp() } }
        for (stack, up) in zip(Self.stacks, runs) {
            XCTAssertTrue(
                up.waitFor("stack", timeoutMs: 60_000), "\(stack.label): no stack event: \(up.stdout) \(up.stderr)")
            guard let url = up.url, let port = IntegrationSupport.port(of: url) else { continue }
            let client = LoopbackClient(timeoutMs: 5000)
            var response: LoopbackClient.Response?
            _ = TestProject.eventually(timeoutMs: 30_000) {
                response = client.get(host: "127.0.0.1", port: port, path: "/go")
                return response?.status == 302
            }
            let head = try XCTUnwrap(response, "\(stack.label): \(url) did not answer")
            XCTAssertEqual(head.status, 302, "\(stack.label): \(head)")
            XCTAssertEqual(
                head.headers["location"], "http://127.0.0.1:\(port)/landed", "\(stack.label): \(head.headers)")
            XCTAssertEqual(head.headers["x-seen-host"], "127.0.0.1:\(port)", "\(stack.label)")
            XCTAssertEqual(head.headers["x-seen-scheme"], "http", "\(stack.label)")
            if stack.proxied {
                XCTAssertEqual(head.headers["x-seen-forwarded-for"], "127.0.0.1", "\(stack.label): \(head.headers)")
                XCTAssertEqual(head.headers["x-seen-forwarded-proto"], "http", "\(stack.label): \(head.headers)")
            } else {
                // The front server runs the app itself (mod_wsgi, FastCGI): the client is REMOTE_ADDR.
                XCTAssertEqual(head.headers["x-seen-remote-addr"], "127.0.0.1", "\(stack.label): \(head.headers)")
            }
            print("\(stack.label): \(head.status) Location \(head.headers["location"] ?? "-")")
        }
        for (stack, up) in zip(Self.stacks, runs) {
            _ = up.process.send(SIGINT)
            finish(up, stack.label)
        }
    }
}
