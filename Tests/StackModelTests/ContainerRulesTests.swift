import XCTest
@testable import StackModel

/// `container: true`: read as a boolean, and the stack must fit in one container of the image.
final class ContainerRulesTests: XCTestCase {
    static let guide = """
    description: the guide's container
    container: true
    components:
      front:
        server: nginx
        upstream: [app]
      app:
        server: uwsgi
      supervisor:
        server: supervisord
        supervises: [front, app]
    """

    func testTheGuidesStackLoadsAsAContainerStack() throws {
        let t = try TopologyLoader.load(text: Self.guide, path: "t.yaml", demoAppDirectory: "/demo")
        XCTAssertTrue(t.container)
        let plain = try TopologyLoader.load(text: Self.guide.replacingOccurrences(of: "container: true\n", with: ""),
                                            path: "t.yaml", demoAppDirectory: "/demo")
        XCTAssertFalse(plain.container, "off unless asked for")
    }

    func testBrokenContainerStacksNameFileLineAndColumn() {
        let cases: [(String, String, [String])] = [
            ("not a boolean", Self.guide.replacingOccurrences(of: "container: true", with: "container: yes please"),
             ["t.yaml:2:12: 'container' must be true or false, got 'yes please'"]),
            ("two roots", """
            description: x
            container: true
            components:
              front:
                server: nginx
                upstream: [app]
              app:
                server: gunicorn
            """, ["t.yaml:2:1: container: true runs one process tree, but stacktop would start 2 components (front, app): add a supervisord that supervises all of them"]),
            ("a server the image lacks", """
            description: x
            container: true
            components:
              front:
                server: apache
                upstream: [app]
              app:
                server: mod_wsgi
                inside: front
            """, [
                "t.yaml:4:3: 'front' is apache, which the container image does not hold (container: true supports nginx, uwsgi, gunicorn, supervisord)",
                "t.yaml:7:3: 'app' is mod_wsgi, which the container image does not hold (container: true supports nginx, uwsgi, gunicorn, supervisord)",
            ]),
            ("a host venv", Self.guide.replacingOccurrences(of: "container: true\n", with: "container: true\napp:\n  venv: /opt/v\n"),
             ["t.yaml:2:1: container: true runs the app with the image's Python packages; remove 'venv' from 'app' (/opt/v)"]),
        ]
        for (name, yaml, expected) in cases {
            do {
                _ = try TopologyLoader.load(text: yaml, path: "t.yaml", demoAppDirectory: "/demo")
                XCTFail("\(name): loaded")
            } catch {
                XCTAssertEqual(error.diagnostics.map(\.description), expected, name)
            }
        }
    }
}
