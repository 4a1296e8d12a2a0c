import XCTest
@testable import StackModel

/// `app.health`: the path stacktop's readiness and health probes ask for — `/` unless the
/// topology says otherwise (the bundled demo app: `/health`), checked with FILE:LINE:COL errors.
final class HealthPathTests: XCTestCase {
    private func load(_ yaml: String) throws(TopologyErrors) -> Topology {
        try TopologyLoader.load(text: yaml, path: "t.yaml", demoAppDirectory: "/proj/topologies/apps/demo")
    }

    private func topology(app: String) -> String {
        """
        description: x
        app:
        \(app)
        components:
          app:
            server: gunicorn
        """
    }

    func testDefaultsAndAnExplicitPath() throws {
        let user = try load(topology(app: "  module: web:app\n  dir: /srv/web"))
        XCTAssertEqual(user.app.health, "/", "a user app without health: is probed at /")
        XCTAssertNil(user.app.healthPath)
        let demo = try load("description: x\ncomponents:\n  app:\n    server: gunicorn\n")
        XCTAssertEqual(demo.app.health, "/health", "the bundled demo app has a /health route")
        let explicit = try load(topology(app: "  module: web:app\n  dir: /srv/web\n  health: /status?full=1"))
        XCTAssertEqual(explicit.app.health, "/status?full=1")
        let demoRoot = try load(topology(app: "  health: /"))
        XCTAssertEqual(demoRoot.app.health, "/", "the demo app's default can be overridden too")
    }

    func testBadHealthPathsAreReportedAtTheValue() {
        let cases: [(value: String, message: String)] = [
            ("healthz", "t.yaml:5:11: app health path 'healthz' must start with '/' (e.g. health: /healthz)"),
            (
                "'/a b'",
                "t.yaml:5:11: app health path '/a b' must not contain U+0020: use percent-encoding (%20) for such characters (e.g. health: /healthz)"
            ),
            (
                "'/x#frag'",
                "t.yaml:5:11: app health path '/x#frag' must not contain '#': use percent-encoding (%20) for such characters (e.g. health: /healthz)"
            ),
            (
                "//evil.example/",
                "t.yaml:5:11: app health path '//evil.example/' must not start with '//' (that reads as a host, not a path) (e.g. health: /healthz)"
            ),
            (
                "'/é'",
                "t.yaml:5:11: app health path '/é' must not contain U+00E9: use percent-encoding (%20) for such characters (e.g. health: /healthz)"
            ),
            ("[/a]", "t.yaml:5:11: 'health' must be a string, got a list"),
        ]
        for c in cases {
            let yaml = topology(app: "  module: web:app\n  dir: /srv/web\n  health: \(c.value)")
            do {
                _ = try load(yaml)
                XCTFail("accepted health: \(c.value)")
            } catch {
                XCTAssertEqual(error.diagnostics.map(\.description), [c.message], c.value)
            }
        }
    }

    func testAMisspeltHealthKeyIsNamed() {
        do {
            _ = try load(topology(app: "  module: web:app\n  dir: /srv/web\n  helth: /"))
            XCTFail("accepted helth")
        } catch {
            XCTAssertEqual(
                error.diagnostics.map(\.description),
                ["t.yaml:5:3: unknown key 'helth' in 'app'; did you mean 'health'?"])
        }
    }
}
