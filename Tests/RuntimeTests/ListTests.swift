@testable import Installation
import StackModel
import XCTest
@testable import Runtime

/// `stacktop list`: runnable or not and why, first sentences, text and JSON.
final class ListTests: XCTestCase {
    private let invalid = DoctorListing.File(
        path: "/p/topologies/broken.yaml",
        result: .failure(
            TopologyErrors([
                Diagnostic(
                    SourceLocation(file: "/p/topologies/broken.yaml", line: 7, column: 13), "unknown server 'ngnix'"),
                Diagnostic(
                    SourceLocation(file: "/p/topologies/broken.yaml", line: 3, column: 1), "description is required"),
            ])))

    private func listing(missing: [InstallationComponent: String]) async -> DoctorListing {
        let statuses = await FakeInstallation(missing: missing).statuses()
        let files = FakeTopologies.all.map { DoctorListing.File(path: $0.sourcePath, result: .success($0)) } + [invalid]
        return DoctorListing(files: files, statuses: statuses)
    }

    func testRunnableAndReasons() async {
        let nginxReason = "needs nginx: apt-get install -y --no-install-recommends nginx"
        let cases: [(name: String, missing: [InstallationComponent: String], notRunnable: [String: String])] = [
            ("all present", [:], [:]),
            (
                "nginx missing", [.nginx: "nginx not found"],
                [
                    "nginx-gunicorn": nginxReason, "nginx-gunicorn-supervisord": nginxReason,
                    "nginx-uwsgi": nginxReason,
                ]
            ),
            (
                "uwsgi plugin missing", [.uwsgiPython3: "not found"],
                [
                    "uwsgi":
                        "needs uwsgi-python3-plugin: apt-get install -y --no-install-recommends uwsgi-plugin-python3",
                    "nginx-uwsgi":
                        "needs uwsgi-python3-plugin: apt-get install -y --no-install-recommends uwsgi-plugin-python3",
                ]
            ),
            (
                "supervisord and gunicorn missing", [.supervisord: "x", .gunicorn: "y"],
                [
                    "nginx-gunicorn": "needs gunicorn: scripts/install-components",
                    "nginx-gunicorn-supervisord":
                        "needs supervisord, gunicorn: apt-get install -y --no-install-recommends supervisor; scripts/install-components",
                ]
            ),
        ]
        for c in cases {
            let listing = await listing(missing: c.missing)
            XCTAssertEqual(listing.entries.map(\.name), FakeTopologies.all.map(\.name) + ["broken"], c.name)
            for entry in listing.entries where entry.name != "broken" {
                XCTAssertEqual(entry.reason, c.notRunnable[entry.name], "\(c.name): \(entry.name)")
                XCTAssertEqual(entry.runnable, c.notRunnable[entry.name] == nil, "\(c.name): \(entry.name)")
            }
            let broken = listing.entries.last
            XCTAssertEqual(broken?.runnable, false)
            XCTAssertEqual(
                broken?.reason, "invalid: /p/topologies/broken.yaml:3:1: description is required", "first in file order"
            )
            XCTAssertEqual(listing.exitCode, 0)
        }
    }

    func testText() async {
        let text = await listing(missing: [.nginx: "nginx not found"]).text
        let expected = [
            "TOPOLOGY                    RUNNABLE  SERVERS",
            "werkzeug                    yes       werkzeug",
            "    A stack.",
            "nginx-gunicorn              no        nginx, gunicorn",
            "    A stack.",
            "    needs nginx: apt-get install -y --no-install-recommends nginx",
        ]
        XCTAssertEqual(Array(text.split(separator: "\n").prefix(6).map(String.init)), expected, text)
        XCTAssertTrue(
            text.contains(
                "broken                      no\n    invalid: /p/topologies/broken.yaml:3:1: description is required\n"),
            text)
        XCTAssertTrue(text.hasSuffix("\n4 of 8 topologies can run here.\n"), text)
    }

    func testJSONShape() async throws {
        let listing = await listing(missing: [.nginx: "nginx not found"])
        let object = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(listing.json.encoded.utf8)) as? [String: Any])
        let items = try XCTUnwrap(object["topologies"] as? [[String: Any]])
        XCTAssertEqual(items.count, 8)
        let ng = items[1]
        XCTAssertEqual(ng["name"] as? String, "nginx-gunicorn")
        XCTAssertEqual(ng["path"] as? String, "/p/topologies/nginx-gunicorn.yaml")
        XCTAssertEqual(ng["description"] as? String, "A stack.")
        XCTAssertEqual(ng["runnable"] as? Bool, false)
        XCTAssertEqual(ng["missing"] as? [String], ["nginx"])
        XCTAssertEqual(ng["install_commands"] as? [String], ["apt-get install -y --no-install-recommends nginx"])
        XCTAssertTrue(ng["diagnostic"] is NSNull)
        let components = try XCTUnwrap(ng["components"] as? [[String: String]])
        XCTAssertEqual(components, [["name": "front", "server": "nginx"], ["name": "app", "server": "gunicorn"]])
        XCTAssertEqual(items[0]["runnable"] as? Bool, true)
        XCTAssertTrue(items[0]["reason"] is NSNull)
        XCTAssertEqual(items[7]["diagnostic"] as? String, "/p/topologies/broken.yaml:3:1: description is required")
        XCTAssertEqual(items[7]["components"] as? [[String: String]], [])
    }

    func testFirstSentence() {
        let cases: [(String, String)] = [
            (
                "nginx in front of gunicorn, both run by supervisord. Killing a worker is cheap.",
                "nginx in front of gunicorn, both run by supervisord."
            ),
            (
                "The Flask dev server\n  alone, one threaded process.\nNo master: kill it and it is down.\n",
                "The Flask dev server alone, one threaded process."
            ),
            (
                "Apache 2.4.71 with mod_wsgi, e.g. for shared hosts. Then more.",
                "Apache 2.4.71 with mod_wsgi, e.g. for shared hosts."
            ),
            ("No period at all", "No period at all"),
            ("", ""),
        ]
        for (description, expected) in cases {
            XCTAssertEqual(DoctorListing.firstSentence(of: description), expected)
        }
    }

    func testLoadTurnsAnUnreadableFileIntoADiagnostic() {
        let files = DoctorListing.load(paths: ["/nonexistent/x.yaml"], demoAppDirectory: "/p/demo")
        guard case let .failure(errors) = files.first?.result else { return XCTFail("expected a failure") }
        XCTAssertEqual(errors.diagnostics.map(\.description), ["/nonexistent/x.yaml:1:1: no such file"])
    }

    /// The seed topologies of this project, with this machine's real installation: every file
    /// loads, is named after its file, has a first sentence, and can run here.
    func testRealTopologiesAreAllRunnableHere() async throws {
        let paths = try XCTUnwrap(
            ProjectPaths.discover(environment: [:], currentDirectory: InstallationProbeTests.packageRoot))
        let files = paths.topologyFiles()
        try XCTSkipIf(files.isEmpty, "no topologies/*.yaml on this branch yet")
        let statuses = await InstallationProbe(venv: paths.venv).statuses()
        let listing = DoctorListing(
            files: DoctorListing.load(paths: files, demoAppDirectory: paths.demoApp),
            statuses: statuses)
        XCTAssertEqual(listing.entries.count, files.count)
        for entry in listing.entries {
            XCTAssertNil(entry.reason, entry.name)
            XCTAssertTrue(entry.runnable, entry.name)
            XCTAssertEqual(entry.name + ".yaml", URL(fileURLWithPath: entry.path).lastPathComponent)
            XCTAssertTrue(entry.summary.hasSuffix("."), "\(entry.name): «\(entry.summary)»")
            XCTAssertFalse(entry.components.isEmpty, entry.name)
        }
        let seeds = [
            "werkzeug", "waitress", "gunicorn", "nginx-gunicorn", "nginx-gunicorn-supervisord", "uwsgi",
            "nginx-uwsgi", "nginx-uwsgi-supervisord", "apache-mod-wsgi", "nginx-flup", "lighttpd-flup",
        ]
        XCTAssertTrue(Set(seeds).isSubset(of: listing.entries.map(\.name)), "\(listing.entries.map(\.name))")
    }
}
