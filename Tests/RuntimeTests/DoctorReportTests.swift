@testable import Installation
import StackModel
import XCTest
@testable import Runtime

/// `stacktop doctor`'s report, from a fake installation: the table, the exit code, what each
/// missing component rules out, and the JSON shape.
final class DoctorReportTests: XCTestCase {
    private func report(missing: [InstallationComponent: String]) async -> DoctorReport {
        let statuses = await FakeInstallation(missing: missing).statuses()
        let needs = FakeTopologies.all.map {
            DoctorReport.TopologyNeeds(name: $0.name, needs: InstallationComponent.needed(by: $0))
        }
        return DoctorReport(statuses: statuses, topologies: needs, venv: "/p/.venv")
    }

    func testCases() async {
        let cases:
            [(
                name: String, missing: [InstallationComponent: String], exit: Int32,
                ruledOut: [InstallationComponent: [String]], lines: [String]
            )] = [
                (
                    "all present", [:], 0, [:],
                    [
                        "nginx                 ok      1.0      /fake/nginx",
                        "All 17 components present; no topology is ruled out.",
                    ]
                ),
                (
                    "nginx missing", [.nginx: "nginx not found"], 1,
                    [.nginx: ["nginx-gunicorn", "nginx-gunicorn-supervisord", "nginx-uwsgi"]],
                    [
                        "nginx                 MISSING  -        nginx not found",
                        "    install: apt-get install -y --no-install-recommends nginx",
                        "    rules out: nginx-gunicorn, nginx-gunicorn-supervisord, nginx-uwsgi",
                        "1 of 17 components missing; that rules out 3 of 7 topologies.",
                        "  apt-get install -y --no-install-recommends nginx    (as root)",
                        "or everything at once: scripts/install-components",
                    ]
                ),
                (
                    "uwsgi python3 plugin missing",
                    [.uwsgiPython3: "/usr/lib/uwsgi/plugins/python3_plugin.so not found"], 1,
                    [.uwsgiPython3: ["uwsgi", "nginx-uwsgi"]],
                    [
                        "uwsgi-python3-plugin  MISSING  -        /usr/lib/uwsgi/plugins/python3_plugin.so not found",
                        "    install: apt-get install -y --no-install-recommends uwsgi-plugin-python3",
                        "    rules out: uwsgi, nginx-uwsgi",
                        "1 of 17 components missing; that rules out 2 of 7 topologies.",
                    ]
                ),
                (
                    "venv missing", [.venv: "no venv at /p/.venv", .flask: "no usable venv at /p/.venv"], 1,
                    [.venv: FakeTopologies.all.map(\.name)],
                    [
                        "    install: scripts/install-components",
                        "2 of 17 components missing; that rules out 7 of 7 topologies.",
                        "To install them:",
                        "  scripts/install-components",
                    ]
                ),
            ]
        for c in cases {
            let report = await report(missing: c.missing)
            XCTAssertEqual(report.exitCode, c.exit, c.name)
            XCTAssertEqual(report.allPresent, c.missing.isEmpty, c.name)
            for (component, names) in c.ruledOut {
                XCTAssertEqual(report.ruledOut(by: component), names, "\(c.name): \(component)")
            }
            let lines = report.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in c.lines {
                XCTAssertTrue(lines.contains(line), "\(c.name): no line «\(line)» in\n\(report.text)")
            }
            XCTAssertEqual(
                lines.first, "COMPONENT             STATUS\(c.exit == 0 ? "  " : "   ")VERSION  PATH", c.name)
            XCTAssertFalse(lines.contains { $0.hasSuffix(" ") }, "\(c.name): trailing spaces")
        }
    }

    func testVenvOnlyMissingDoesNotSuggestTheInstallerTwice() async {
        let text = await report(missing: [.flup: "flup not installed in /p/.venv"]).text
        XCTAssertFalse(text.contains("or everything at once"), text)
    }

    func testJSONShape() async throws {
        let report = await report(missing: [.nginx: "nginx not found"])
        let data = Data(report.json.encoded.utf8)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["all_present"] as? Bool, false)
        XCTAssertEqual(object["venv"] as? String, "/p/.venv")
        XCTAssertEqual(object["install_commands"] as? [String], ["apt-get install -y --no-install-recommends nginx"])
        let components = try XCTUnwrap(object["components"] as? [[String: Any]])
        XCTAssertEqual(components.compactMap { $0["name"] as? String }, InstallationComponent.allCases.map(\.rawValue))
        let nginx = components[0]
        XCTAssertEqual(nginx["present"] as? Bool, false)
        XCTAssertTrue(nginx["version"] is NSNull)
        XCTAssertTrue(nginx["path"] is NSNull)
        XCTAssertEqual(nginx["problem"] as? String, "nginx not found")
        XCTAssertEqual(nginx["install"] as? String, "apt-get install -y --no-install-recommends nginx")
        XCTAssertEqual(
            nginx["rules_out"] as? [String], ["nginx-gunicorn", "nginx-gunicorn-supervisord", "nginx-uwsgi"])
        let apache = components[1]
        XCTAssertEqual(apache["present"] as? Bool, true)
        XCTAssertEqual(apache["version"] as? String, "1.0")
        XCTAssertEqual(apache["path"] as? String, "/fake/apache2")
        XCTAssertTrue(apache["install"] is NSNull)
        XCTAssertEqual(apache["rules_out"] as? [String], [])
        XCTAssertEqual(Array(object.keys).sorted(), ["all_present", "components", "install_commands", "venv"])
    }
}

/// A machine where everything is installed except the components given.
struct FakeInstallation: Installation {
    /// Missing components and the problem the probe would report.
    var missing: [InstallationComponent: String] = [:]

    func statuses() async -> [InstallationStatus] {
        InstallationComponent.allCases.map { component in
            if let problem = missing[component] { return .missing(component, problem) }
            return .found(component, path: "/fake/\(component.rawValue)", version: "1.0")
        }
    }
}

/// Topologies built in code, shaped like some of the seed files.
enum FakeTopologies {
    static func make(
        _ name: String, _ servers: [(String, ServerKind)], demo: Bool = true,
        description: String = "A stack. It serves the demo app."
    ) -> Topology {
        Topology(
            name: name, description: description, sourcePath: "/p/topologies/\(name).yaml",
            app: AppSpec(module: "app:app", directory: "/p/topologies/apps/demo", isDemo: demo),
            components: servers.map { Component(name: $0.0, kind: $0.1) }, traffic: TrafficSpec())
    }

    static let all: [Topology] = [
        make("werkzeug", [("app", .werkzeug)]),
        make("nginx-gunicorn", [("front", .nginx), ("app", .gunicorn)]),
        make("nginx-gunicorn-supervisord", [("front", .nginx), ("app", .gunicorn), ("supervisor", .supervisord)]),
        make("uwsgi", [("app", .uwsgi)]),
        make("nginx-uwsgi", [("front", .nginx), ("app", .uwsgi)]),
        make("apache-mod-wsgi", [("front", .apache), ("app", .modWSGI)]),
        make("lighttpd-flup", [("front", .lighttpd), ("app", .flup)]),
    ]
}
