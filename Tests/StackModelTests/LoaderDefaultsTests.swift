import Foundation
import StackFiles
import XCTest
@testable import StackModel

/// Defaults the loader fills in and the paths it resolves.
final class LoaderDefaultsTests: XCTestCase {
    func load(_ yaml: String, path: String = "/x/stacks/t.yaml") throws -> Topology {
        try TopologyLoader.load(text: yaml, path: path, demoAppDirectory: "/proj/topologies/apps/demo")
    }

    func testMinimalFileGetsDefaults() throws {
        let topology = try load(
            """
            description: just gunicorn
            components:
              app:
                server: gunicorn
            """)
        XCTAssertEqual(topology.name, "t")
        XCTAssertEqual(topology.sourcePath, "/x/stacks/t.yaml")
        XCTAssertEqual(topology.app, AppSpec(module: "app:app", directory: "/proj/topologies/apps/demo", isDemo: true))
        XCTAssertEqual(topology.traffic, TrafficSpec(rate: 20, mix: [WeightedPath(path: "/", weight: 1)]))
        let app = try XCTUnwrap(topology.component("app"))
        XCTAssertEqual(app.workers, 2)
        XCTAssertEqual(app.threads, 1)
        XCTAssertEqual(app.transport, .tcp)
        XCTAssertEqual(app.host, "127.0.0.1")
        XCTAssertNil(app.port)
        XCTAssertEqual(app.proto, .http)
        XCTAssertEqual(app.location, SourceLocation(file: "/x/stacks/t.yaml", line: 3, column: 3))
    }

    func testAppPathsResolveAgainstTheFilesDirectory() throws {
        let topology = try load(
            """
            name: mine
            description: my app
            app:
              module: mypkg.wsgi:application
              dir: ../apps/./mine
              venv: ../.venv
            components:
              app:
                server: waitress
            """)
        XCTAssertEqual(topology.name, "mine")
        let at = { (line: Int, column: Int) in SourceLocation(file: "/x/stacks/t.yaml", line: line, column: column) }
        XCTAssertEqual(
            topology.app,
            AppSpec(
                module: "mypkg.wsgi:application", directory: "/x/apps/mine",
                venv: "/x/.venv", isDemo: false,
                locations: AppLocations(
                    section: at(3, 1), module: at(4, 11),
                    directory: at(5, 8), venv: at(6, 9))))
        XCTAssertEqual(topology.app.moduleName, "mypkg.wsgi")
        XCTAssertEqual(topology.app.callable, "application")
        XCTAssertEqual(topology.component("app")?.threads, 4)
        XCTAssertNil(topology.component("app")?.workers)
    }

    /// A module without `dir` is the user's, in the topology file's directory: never the
    /// bundled demo app (whose directory would serve the demo under the user's module name).
    func testModuleWithoutDirLivesBesideTheTopologyFile() throws {
        let topology = try load(
            """
            description: my app
            app:
              module: shop:application
            components:
              app:
                server: gunicorn
            """, path: "/home/me/shop/stack.yaml")
        XCTAssertEqual(topology.app.directory, "/home/me/shop")
        XCTAssertFalse(topology.app.isDemo)
        XCTAssertEqual(topology.app.module, "shop:application")
        XCTAssertNil(topology.app.locations.directory)
        XCTAssertEqual(
            topology.app.locations.module, SourceLocation(file: "/home/me/shop/stack.yaml", line: 3, column: 11))

        // Only a venv: still the demo app, run with that venv.
        let demo = try load(
            """
            description: the demo with my venv
            app:
              venv: /opt/venv
            components:
              app:
                server: gunicorn
            """)
        XCTAssertTrue(demo.app.isDemo)
        XCTAssertEqual(demo.app.directory, "/proj/topologies/apps/demo")
        XCTAssertEqual(demo.app.venv, "/opt/venv")
    }

    func testDefaultsPerKindAndPosition() throws {
        let topology = try load(
            """
            description: lighttpd in front of uwsgi, supervised
            components:
              front:
                server: lighttpd
                host: localhost
                port: 8080
                upstream: app
              app:
                server: uwsgi
              sup:
                server: supervisord
                supervises: app
            traffic:
              rate: 5
              mix:
                /: 3
                /slow?ms=50: 1
            """)
        let front = try XCTUnwrap(topology.component("front"))
        XCTAssertEqual(front.host, "127.0.0.1")
        XCTAssertEqual(front.port, 8080)
        XCTAssertEqual(front.transport, .tcp)
        XCTAssertNil(front.workers)
        XCTAssertEqual(front.upstream, ["app"])
        let app = try XCTUnwrap(topology.component("app"))
        XCTAssertEqual(app.proto, .http, "uWSGI speaks http behind a front other than nginx")
        XCTAssertEqual(app.transport, .unix)
        XCTAssertEqual(topology.component("sup")?.supervises, ["app"])
        XCTAssertEqual(topology.startOrder.map(\.name), ["sup", "app", "front"])
        XCTAssertEqual(
            topology.traffic,
            TrafficSpec(
                rate: 5,
                mix: [
                    WeightedPath(path: "/", weight: 3),
                    WeightedPath(path: "/slow?ms=50", weight: 1),
                ]))
    }

    func testLoopbackHosts() {
        let cases: [(String, Bool)] = [
            ("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("localhost", true),
            ("0.0.0.0", false), ("10.0.0.1", false), ("127.0.0.256", false),
            ("127.0.0", false), ("example.com", false),
        ]
        for (host, loopback) in cases { XCTAssertEqual(KindRules.isLoopback(host), loopback, host) }
    }

    func testModuleSyntax() {
        let cases: [(String, Bool)] = [
            ("app:app", true), ("a.b.c:create_app", true), ("_x:y", true),
            ("app", false), ("app.py:app", true), ("app:", false), (":app", false),
            ("1app:app", false), ("app:app()", false), ("a..b:c", false),
        ]
        for (module, valid) in cases { XCTAssertEqual(DocumentReader.isValidModule(module), valid, module) }
    }

    func testMissingAndUnreadableFiles() {
        let cases: [(path: String, message: String)] = [
            ("/nonexistent/stack.yaml", "/nonexistent/stack.yaml:1:1: no such file"),
            ("/tmp", "/tmp:1:1: is a directory, not a topology file"),
        ]
        for c in cases {
            do {
                _ = try TopologyLoader.load(path: c.path, demoAppDirectory: "/demo")
                XCTFail("loaded \(c.path)")
            } catch {
                XCTAssertEqual(error.diagnostics.map(\.description), [c.message])
            }
        }
    }
}
