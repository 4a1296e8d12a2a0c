import Foundation
import Glibc
import XCTest
import Runtime

/// An app that cannot even be imported, behind every kind of server: the launch fails within a
/// bound, the error quotes the ImportError, and nothing is left running.
final class HardeningAppFailureTests: XCTestCase {
    /// Every way the app gets loaded: by a master before (uWSGI) or after (gunicorn workers) it
    /// binds, at the first request (flup under lighttpd, mod_wsgi), under supervisord.
    static let stacks = [
        "gunicorn", "uwsgi", "waitress", "nginx-gunicorn", "nginx-uwsgi", "nginx-flup",
        "nginx-gunicorn-supervisord", "apache-mod-wsgi", "lighttpd-flup",
    ]

    func testAppThatFailsToImportFailsTheLaunchQuotingTheImportError() throws {
        try IntegrationSupport.skipUnlessEveryServerInstalled()
        let scratch = Scratch()
        defer { scratch.remove() }
        let appDir = scratch.path + "/broken"
        try FileManager.default.createDirectory(atPath: appDir, withIntermediateDirectories: true)
        let cause = "stacktop-test: broken on purpose \(getpid())"
        try "import os\nraise ImportError(\(Scratch.yaml(cause)))\n".write(
            toFile: appDir + "/broken.py", atomically: true, encoding: .utf8)
        let app = ["module: broken:app", "dir: \(Scratch.yaml(appDir))"]

        // All at once: the ones whose app loads at the first request take the readiness
        // timeout (20 s) to give up.
        let clock = Stopwatch()
        let runs = try HardeningAppFailureTests.stacks.map { stack in
            try UpRun([
                "up", try scratch.topology("broken-\(stack).yaml", from: stack, app: app), "--json", "--for", "60",
            ])
        }
        defer { for run in runs { run.cleanUp() } }
        for (stack, up) in zip(HardeningAppFailureTests.stacks, runs) {
            let status = finish(up, stack, timeoutMs: 60_000)
            let tookMs = clock.elapsedMs
            XCTAssertEqual(status, .exited(1), "\(stack): \(up.stdout)")
            let error = up.events(ofType: "error").first
            let message = error?["message"] as? String ?? "no error event"
            let tail = (error?["log_tail"] as? [String]) ?? []
            // Python's own `ImportError: …` line; waitress words it as "There was an exception
            // (ImportError) importing your module" followed by "1. …".
            XCTAssertTrue(
                tail.contains { $0.hasSuffix(cause) } && tail.contains { $0.contains("ImportError") },
                "\(stack): the error does not quote the cause: \(message) \(tail)")
            XCTAssertEqual(up.events(ofType: "stopped").count, 1, "\(stack): \(up.stdout)")
            print("\(stack): exit \(status.map { "\($0)" } ?? "none") within \(tookMs) ms: \(message)")
        }

        // What a person reads: the human lines quote the cause too, and never say "ready".
        let human = try UpRun(["up", scratch.path + "/broken-nginx-gunicorn.yaml", "--for", "60"])
        defer { human.cleanUp() }
        XCTAssertEqual(finish(human, "human"), .exited(1))
        XCTAssertTrue(human.stdout.contains("error: "), human.stdout)
        XCTAssertTrue(human.stdout.contains("ImportError: " + cause), human.stdout)
        XCTAssertFalse(human.stdout.contains("stack ready"), human.stdout)
    }
}
