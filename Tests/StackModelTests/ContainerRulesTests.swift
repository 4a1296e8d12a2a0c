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
        let plain = try TopologyLoader.load(
            text: Self.guide.replacingOccurrences(of: "container: true\n", with: ""),
            path: "t.yaml", demoAppDirectory: "/demo")
        XCTAssertFalse(plain.container, "off unless asked for")
    }

    func testBrokenContainerStacksNameFileLineAndColumn() {
        let cases: [(String, String, [String])] = [
            (
                "not a boolean", Self.guide.replacingOccurrences(of: "container: true", with: "container: yes please"),
                [
                    "t.yaml:2:12: 'container' must be true, false or pod, got 'yes please'; expected one of: true, false, pod"
                ]
            ),
            (
                "two roots",
                """
                description: x
                container: true
                components:
                  front:
                    server: nginx
                    upstream: [app]
                  app:
                    server: gunicorn
                """,
                [
                    "t.yaml:2:1: container: true runs one process tree, but stacktop would start 2 components (front, app): add a supervisord that supervises all of them, or use container: pod for one container each"
                ]
            ),
            (
                "a server the image lacks",
                """
                description: x
                container: true
                components:
                  front:
                    server: apache
                    upstream: [app]
                  app:
                    server: mod_wsgi
                    inside: front
                """,
                [
                    "t.yaml:4:3: 'front' is apache, which the container image does not hold (container: true supports nginx, uwsgi, gunicorn, supervisord)",
                    "t.yaml:7:3: 'app' is mod_wsgi, which the container image does not hold (container: true supports nginx, uwsgi, gunicorn, supervisord)",
                ]
            ),
            (
                "a host venv",
                Self.guide.replacingOccurrences(
                    of: "container: true\n", with: "container: true\napp:\n  venv: /opt/v\n"),
                [
                    "t.yaml:2:1: container: true runs the app with the image's Python packages; remove 'venv' from 'app' (/opt/v)"
                ]
            ),
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

    static let pod = """
        description: one container per component
        container: pod
        components:
          front:
            server: nginx
            upstream: [app]
          app:
            server: gunicorn
        """

    func testAPodStackLoadsWithOneRootPerComponent() throws {
        let t = try TopologyLoader.load(text: Self.pod, path: "t.yaml", demoAppDirectory: "/demo")
        XCTAssertEqual(t.containerLayout, .pod)
        XCTAssertTrue(t.container)
        XCTAssertEqual(
            try TopologyLoader.load(text: Self.guide, path: "t.yaml", demoAppDirectory: "/demo").containerLayout,
            .single)
        let off = try TopologyLoader.load(
            text: Self.pod.replacingOccurrences(of: "container: pod", with: "container: false"),
            path: "t.yaml", demoAppDirectory: "/demo")
        XCTAssertNil(off.containerLayout)
    }

    func testBrokenPodStacksNameFileLineAndColumn() {
        let cases: [(String, String, [String])] = [
            (
                "misspelt", Self.pod.replacingOccurrences(of: "container: pod", with: "container: pods"),
                ["t.yaml:2:12: 'container' must be true, false or pod, got 'pods'; did you mean 'pod'?"]
            ),
            (
                "quoted", Self.pod.replacingOccurrences(of: "container: pod", with: "container: \"pod\""),
                ["t.yaml:2:12: 'container' must be true, false or pod, got \"pod\"; did you mean 'pod'?"]
            ),
            (
                "a supervisord", Self.guide.replacingOccurrences(of: "container: true", with: "container: pod"),
                [
                    "t.yaml:9:3: 'supervisor' is supervisord, but container: pod runs each component in its own container: remove it, or use container: true to run the stack under supervisord in one container"
                ]
            ),
            (
                "a server the image lacks",
                Self.pod.replacingOccurrences(of: "server: gunicorn", with: "server: waitress"),
                [
                    "t.yaml:7:3: 'app' is waitress, which the container image does not hold (container: pod supports nginx, uwsgi, gunicorn)"
                ]
            ),
            (
                "a host venv",
                Self.pod.replacingOccurrences(of: "container: pod\n", with: "container: pod\napp:\n  venv: /opt/v\n"),
                [
                    "t.yaml:2:1: container: pod runs the app with the image's Python packages; remove 'venv' from 'app' (/opt/v)"
                ]
            ),
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
