import Foundation
@testable import Installation
import StackModel
import XCTest
@testable import Runtime
import TestSupport

/// How stacktop tells a user to fill their own venv: that venv's pip, the versions the project
/// pins in scripts/requirements.txt, and never the project's installer (which fills .venv).
final class OwnVenvInstallTests: XCTestCase {
    static let root = TestProject.root

    func testPinnedRequirementsAreThoseOfScriptsRequirementsTxt() throws {
        let text = try String(contentsOfFile: Self.root + "/scripts/requirements.txt", encoding: .utf8)
        let pinned = Set(
            text.split(separator: "\n").map { $0.split(separator: "#").first.map(String.init) ?? "" }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains("==") }
        )
        // setproctitle only titles the project's own gunicorn processes; a user's venv runs without it.
        .subtracting(["setproctitle==1.3.8"])
        let ours = Set(InstallationComponent.allCases.flatMap(\.pinnedRequirements))
        XCTAssertFalse(ours.isEmpty)
        XCTAssertEqual(ours, pinned)
    }

    func testOwnVenvCommandsUseThatVenvsPip() {
        let venv = "/home/me/shop/venv"
        XCTAssertEqual(
            InstallationComponent.installCommands(for: [.nginx, .venv, .gunicorn, .flup], ownVenv: venv),
            [
                "apt-get install -y --no-install-recommends nginx",
                "python3 -m venv /home/me/shop/venv  (Debian's /usr/bin/python3 for mod_wsgi and uWSGI), then install your app into it",
                "/home/me/shop/venv/bin/pip install gunicorn==27.0.1 flup==1.0.3",
            ])
        // The project's own venv: unchanged, the installer.
        XCTAssertEqual(
            InstallationComponent.installCommands(for: [.gunicorn], ownVenv: nil), ["scripts/install-components"])
    }

    func testDoctorOfATopologysOwnVenvNamesItAndOffersFix() throws {
        let venv = "/home/me/shop/venv"
        let statuses: [InstallationStatus] = [
            .found(.nginx, path: "/usr/sbin/nginx", version: "1.22.1"),
            .found(.venv, path: venv, version: "Python 3.11.2"),
            .missing(.gunicorn, "gunicorn not installed in \(venv)"),
        ]
        let report = DoctorReport(
            statuses: statuses,
            topologies: [DoctorReport.TopologyNeeds(name: "shop", needs: [.nginx, .venv, .gunicorn])],
            venv: venv, ownVenvTopology: "shop/stack.yaml")
        XCTAssertTrue(report.text.contains("install: /home/me/shop/venv/bin/pip install gunicorn==27.0.1"), report.text)
        XCTAssertTrue(report.text.contains("stacktop doctor shop/stack.yaml --fix"), report.text)
        XCTAssertFalse(report.text.contains("install-components"), report.text)
        XCTAssertEqual(report.installCommands, ["/home/me/shop/venv/bin/pip install gunicorn==27.0.1"])
        let json = report.json.encoded
        XCTAssertTrue(json.contains("\"venv\":\"/home/me/shop/venv\""), json)
        XCTAssertFalse(json.contains("install-components"), json)
    }
}
