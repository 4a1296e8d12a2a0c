import XCTest
@testable import Supervision

/// recycle's figures: the load windows measured from the client's requests, the ratios, the
/// report lines and the compare table's columns.
final class RecycleReportTests: XCTestCase {
    static func request(_ t: Int, took: Int, status: Int? = 200, error: String? = nil) -> DrillRequest {
        DrillRequest(tMs: t, scheduledMs: t - took, status: status, error: error, workerPid: 7, path: "/")
    }

    func testWindowCountsOnlyRequestsEndingInsideIt() {
        var requests: [DrillRequest] = []
        for i in 0..<100 { requests.append(Self.request(1_000 + i * 10, took: i < 99 ? 2 : 80)) }  // 1000..1990
        requests.append(Self.request(1_500, took: 5, status: 502))
        requests.append(Self.request(1_600, took: 5, status: nil, error: "refused"))
        requests.append(Self.request(999, took: 1))  // before
        requests.append(Self.request(2_000, took: 1))  // after (end is exclusive)
        let w = DrillReport.LoadWindow.measure(requests, fromMs: 1_000, lengthMs: 1_000, faultMs: 3_000)
        XCTAssertEqual(w.startMs, -2_000)
        XCTAssertEqual(w.requests, 102)
        XCTAssertEqual(w.answered, 100)
        XCTAssertEqual(w.failures, ["502": 1, "refused": 1])
        XCTAssertEqual(w.answeredPerSecond, 100)
        XCTAssertEqual(w.p50Ms, 2)
        XCTAssertEqual(w.p99Ms, 2, "the 99th of 100 latencies")
    }

    static func recycle(tree: Int, log: Int?, before: Double, during: Double, p99: (Int, Int)) -> DrillReport.Recycle {
        func window(_ start: Int, _ p99: Int) -> DrillReport.LoadWindow {
            DrillReport.LoadWindow(
                startMs: start, lengthMs: 5_000, requests: 500, answered: 500, failures: [:], p50Ms: 2, p99Ms: p99)
        }
        var r = DrillReport.Recycle(
            how: "max_requests = 200", maxRequests: 200, jitter: 50, recyclesInTree: tree,
            recyclesInLog: log, marker: "Autorestarting worker", baseline: window(-5_000, p99.0),
            recycling: window(1_500, p99.1))
        r.capacityBefore = DrillReport.Capacity(answeredPerSecond: before, failed: 0, connections: 8, lengthMs: 2_000)
        r.capacityWhile = DrillReport.Capacity(answeredPerSecond: during, failed: 0, connections: 8, lengthMs: 2_000)
        return r
    }

    func testRatiosAndReportLines() throws {
        let r = Self.recycle(tree: 4, log: 4, before: 1_000, during: 400, p99: (50, 200))
        XCTAssertEqual(try XCTUnwrap(r.capacityRatio), 0.4, accuracy: 1e-9)
        XCTAssertEqual(r.throughputRatio, 1)
        XCTAssertEqual(r.p99Ratio, 4)
        var report = DrillComparisonTests.run("gunicorn", exit: nil, spawned: nil, served: nil, recovered: 200)
        report.recycle = r
        let text = report.textLines(width: 200).joined(separator: "\n")
        XCTAssertTrue(text.contains("4 workers replaced in ps, 4 × 'Autorestarting worker' in the server's log"), text)
        XCTAssertTrue(text.contains("capacity ×0.40, load answered ×1.00, p99 latency ×4.00"), text)
        XCTAssertTrue(report.jsonLine.contains("\"capacity_ratio\":0.4"), report.jsonLine)
    }

    func testCompareTableHasRecycleColumns() {
        func run(_ tree: Int, _ before: Double, _ during: Double) -> DrillReport {
            var report = DrillComparisonTests.run("gunicorn", exit: nil, spawned: nil, served: nil, recovered: 200)
            report.scenario = "recycle"
            report.recycle = Self.recycle(tree: tree, log: tree, before: before, during: during, p99: (50, 60))
            return report
        }
        let table = DrillComparison(
            scenario: "recycle", topologies: ["gunicorn", "waitress"],
            reports: [run(3, 1_000, 500), run(5, 1_000, 300), run(4, 1_000, 400)],
            refusals: ["waitress": "waitress has no max-requests"])
        XCTAssertEqual(table.headings, DrillComparison.recycleHeadings)
        XCTAssertEqual(
            table.cells[0], ["gunicorn", "3", "4 (3–5)", "4 (3–5)", "0", "50 → 60 ms", "1000 → 400 /s", "40 % (30–50)"])
        XCTAssertTrue(table.cells[1][2].contains("refused: waitress has no max-requests"))
        XCTAssertTrue(
            table.markdown.contains("| recycles in ps | recycles in the log | failed while recycling |"), table.markdown
        )
    }
}
