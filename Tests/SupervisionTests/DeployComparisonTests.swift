import XCTest
@testable import Supervision

/// `compare --scenario deploy`: the deploy table's columns, and the servers' words for failures.
final class DeployComparisonTests: XCTestCase {
    static func run(
        _ topology: String, failed: [String: Int], cutover: Int?, old: Int, settled: Int?,
        explanations: [String] = []
    ) -> DrillReport {
        var r = DrillReport(
            scenario: "deploy", topology: topology, target: "app", detail: "", loadRps: 200,
            faultAtMs: 4_000, timeoutMs: 10_000, quietMs: 1_000, failures: failed, slowestMs: 300,
            recovered: settled != nil, recoveredMs: settled, endedMs: 3_000,
            deploy: DrillReport.Deploy(
                operation: "reload", how: "x", versionBefore: 1, versionAfter: 2,
                oldVersionResponses: old, firstNewVersionMs: cutover, cutoverMs: cutover))
        r.explanations = explanations
        return r
    }

    func testDeployTableShowsFailuresByKindAndCutover() {
        let reports = [
            Self.run("nginx-gunicorn", failed: [:], cutover: 400, old: 30, settled: 450),
            Self.run("nginx-gunicorn", failed: [:], cutover: 600, old: 50, settled: 650),
            Self.run(
                "uwsgi", failed: ["refused": 58, "reset": 218], cutover: 1_410, old: 0, settled: nil,
                explanations: ["app: binary reloading uWSGI..."]),
        ]
        let table = DrillComparison(
            scenario: "deploy", topologies: ["nginx-gunicorn", "uwsgi", "werkzeug"], reports: reports,
            refusals: ["werkzeug": "the Werkzeug dev server has no reload signal: only a restart"])
        XCTAssertTrue(table.isDeploy)
        XCTAssertEqual(table.headings, DrillComparison.deployHeadings)
        XCTAssertEqual(
            table.cells[0],
            ["nginx-gunicorn", "2", "0", "–", "500 ms (400–600)", "40 (30–50)", "300 ms", "550 ms (450–650)"])
        XCTAssertEqual(
            table.cells[1],
            ["uwsgi", "1", "276", "58× refused, 218× reset", "1410 ms", "0", "300 ms", "1/1 did not settle"])
        XCTAssertEqual(table.cells[2][2], "refused: the Werkzeug dev server has no reload signal: only a restart")
        XCTAssertEqual(table.explanationLines, ["uwsgi: app: binary reloading uWSGI..."])
        XCTAssertTrue(table.markdown.contains("| topology | runs | failed requests | failures by kind | cutover |"))
        XCTAssertTrue(table.markdown.contains("- `uwsgi: app: binary reloading uWSGI...`"))
        XCTAssertTrue(table.text.contains("Why requests failed, in the servers' own words:"))
        XCTAssertTrue(table.json.contains("\"cutover_ms\":{\"median\":500"), table.json)
    }
}
