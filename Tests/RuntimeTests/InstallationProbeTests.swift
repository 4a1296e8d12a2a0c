import Foundation
@testable import Installation
import StackModel
import XCTest
@testable import Runtime

/// The real probe on this machine, the command runner's timeout, and version parsing.
final class InstallationProbeTests: XCTestCase {
    func testVersionParsing() {
        let cases: [(output: String, pattern: String, expected: String?)] = [
            ("nginx version: nginx/1.22.1\n", "nginx/", "1.22.1"),
            ("Server version: Apache/2.4.71 (Debian)\nServer built:   2026\n", "Apache/", "2.4.71"),
            ("lighttpd/1.4.69 (ssl) - a light and fast webserver\n", "lighttpd/", "1.4.69"),
            ("2.0.21-debian\n", "", "2.0.21-debian"),
            ("4.2.5\n", "", "4.2.5"),
            ("Error: no such option\n", "", nil),
            ("nginx: [emerg] something\n", "nginx/", nil),
        ]
        for c in cases {
            XCTAssertEqual(InstallationProbe.version(in: c.output, after: c.pattern), c.expected, c.output)
        }
    }

    func testSearchPathAddsSbinDirectoriesAfterPATHWithoutDuplicates() {
        let probe = InstallationProbe(venv: "/v", environment: ["PATH": "/opt/x/bin:/usr/bin::/bin"])
        XCTAssertEqual(
            probe.searchPath,
            ["/opt/x/bin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/sbin"])
    }

    func testCommandCapturesStdoutAndStderrAndStatus() async throws {
        let run = await InstallationCommand("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]).run()
        let result = try XCTUnwrap(run)
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(Set(result.output.split(separator: "\n")), ["out", "err"])
    }

    func testCommandThatOverrunsItsTimeoutIsKilledAndGivesNil() async {
        let start = Date()
        let result = await InstallationCommand("/bin/sleep", ["30"], timeout: 0.3).run()
        XCTAssertNil(result)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testMissingExecutableGivesNil() async {
        let result = await InstallationCommand("/nonexistent/program", []).run()
        XCTAssertNil(result)
    }

    /// On this machine (after scripts/install-components) every component is found with a version.
    func testRealProbeFindsEveryComponentWithAVersion() async throws {
        let paths = try XCTUnwrap(ProjectPaths.discover(environment: [:], currentDirectory: Self.packageRoot))
        let statuses = await InstallationProbe(venv: paths.venv).statuses()
        XCTAssertEqual(statuses.map(\.component), InstallationComponent.allCases)
        for status in statuses {
            XCTAssertTrue(status.isPresent, "\(status.component): \(status.problem ?? "")")
            XCTAssertFalse((status.version ?? "").isEmpty, "\(status.component) has no version")
            let path = try XCTUnwrap(status.path, "\(status.component)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(status.component): \(path)")
        }
        let flask = statuses.first { $0.component == .flask }?.version ?? ""
        XCTAssertTrue(flask.hasPrefix("3."), "flask \(flask) is the venv's, not Debian's python3-flask 2.2")
    }

    func testProbeOfAMissingVenvReportsTheVenvAndItsPackagesMissing() async {
        let statuses = await InstallationProbe(venv: "/nonexistent/venv").statuses()
        let missing = statuses.filter { !$0.isPresent }.map(\.component)
        XCTAssertEqual(missing, [.venv, .gunicorn, .waitress, .flask, .flup])
    }

    /// The package root (this file is Tests/RuntimeTests/InstallationProbeTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
