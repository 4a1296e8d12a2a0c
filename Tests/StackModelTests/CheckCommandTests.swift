import Foundation
import XCTest
import TestSupport

/// Runs the built `stacktop check` on good and broken files and checks its output and exit code.
final class CheckCommandTests: XCTestCase {
    static let root = TestProject.root

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    func check(_ arguments: [String]) throws -> Run {
        let binary = Self.root + "/.build/debug/stacktop"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("\(binary) is not built")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["check"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "stacktop-check-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testGoodFilesPrintOkAndExitZero() throws {
        let run = try check(["topologies/nginx-gunicorn.yaml", "topologies/gunicorn.yaml"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(
            run.stdout,
            "topologies/nginx-gunicorn.yaml: ok (2 components)\ntopologies/gunicorn.yaml: ok (1 component)\n")
        XCTAssertEqual(run.stderr, "")
    }

    func testThreeMistakesPrintThreeLinesAndExitOne() throws {
        let bad = try temporaryFile(
            """
            description: three mistakes
            components:
              front:
                server: nginx
                threads: 2
                upstream: [app]
              app:
                server: gunicorn
                port: 0
                listen: tcp
            traffic:
              rate: many
            """)
        let run = try check(["topologies/waitress.yaml", bad])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "topologies/waitress.yaml: ok (1 component)\n")
        XCTAssertEqual(
            run.stderr.split(separator: "\n").map(String.init),
            [
                "\(bad):5:5: 'threads' does not apply to nginx: its workers are single-threaded event loops; use 'workers'",
                "\(bad):9:11: port 0 is out of range: use 1..65535 or auto",
                "\(bad):12:9: 'rate' must be an integer, got 'many'",
            ])
    }

    func testMissingFileIsReported() throws {
        let run = try check(["no-such-topology.yaml"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderr, "no-such-topology.yaml:1:1: no such file\n")
    }
}
