import Foundation
import XCTest

/// slow-request-timeout on nginx → gunicorn, held against nginx's access log, gunicorn's own
/// log and /proc: one request 5 s past gunicorn's 30 s timeout. Measured by hand first
/// (reload-scale.md, and with gunicorn's default timeout): the master kills the worker at
/// ~30 s, gunicorn 27 answers that request 500 itself, and nginx (read timeout 60 s) passes it on.
extension DeployDrillTests {
    func testNginxGunicornSlowRequestGets500FromGunicornAtItsTimeout() throws {
        let o = try drill("nginx-gunicorn", "slow-request-timeout", rate: 20)
        XCTAssertEqual(o.status, 0, o.run.stderr)
        let slow = try XCTUnwrap(o.report["slow_request"] as? [String: Any], "\(o.report)")
        // What stacktop's client got.
        XCTAssertEqual(slow["status"] as? Int, 500, "\(slow)")
        let took = slow["took_ms"] as? Int ?? 0
        XCTAssertTrue((29_500...34_500).contains(took), "answered at gunicorn's 30 s timeout, not at 35 s: \(took) ms")
        XCTAssertEqual(slow["from_app"] as? Bool, false, "gunicorn's own error page, not the app's")
        // nginx's own account: it got 500 from upstream and passed it on, after ~30 s.
        let log = (try? String(contentsOfFile: o.runDir + "/logs/front.access.log", encoding: .utf8)) ?? ""
        let line = try XCTUnwrap(
            log.split(separator: "\n").last { $0.contains("GET /slow?ms=35000 ") },
            "nginx logged the slow request: \(log.suffix(500))")
        XCTAssertTrue(line.contains("status=500 "), String(line))
        XCTAssertTrue(line.contains(#"upstream_status="500""#), String(line))
        let requestTime =
            line.split(separator: " ").first { $0.hasPrefix("request_time=") }
            .flatMap { Double($0.dropFirst("request_time=".count)) } ?? 0
        XCTAssertGreaterThan(requestTime, 29.5, String(line))
        XCTAssertLessThan(requestTime, 34.5, String(line))
        XCTAssertEqual(slow["front_status"] as? String, "500")
        XCTAssertEqual(slow["upstream_status"] as? String, "500")
        // gunicorn's own words, quoted by the report, and in its log.
        let appLog = (try? String(contentsOfFile: o.runDir + "/logs/app.out", encoding: .utf8)) ?? ""
        XCTAssertTrue(appLog.contains("WORKER TIMEOUT"), String(appLog.suffix(800)))
        XCTAssertTrue(
            (o.report["explanations"] as? [String] ?? []).contains { $0.contains("WORKER TIMEOUT") },
            "\(o.report["explanations"] ?? "")")
        // The killed worker is gone and was replaced; the rest of the load did not suffer.
        let replacements = o.report["replacements"] as? [[String: Any]] ?? []
        XCTAssertEqual(replacements.count, 1, "\(replacements)")
        if let old = replacements.first?["old_pid"] as? Int {
            XCTAssertTrue(DrillTruth.isGone(Int32(old)), "worker \(old) killed at the timeout")
        }
        XCTAssertEqual(o.failed, 0, "\(o.report["failures"] ?? "")")
        XCTAssertEqual(o.ownFailedAfter.count, 0, "own client: \(o.ownFailedAfter.prefix(5))")
        XCTAssertGreaterThan(o.ownAfter.count, 100, "the own client's load kept being served during the 30 s")
        try? FileManager.default.removeItem(atPath: o.runDir)
    }
}
