import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// slow-request-timeout: where it applies (an app server with a timeout to hit) and how the
/// tracker waits for the slow answer and reports what the client got.
final class SlowRequestTests: XCTestCase {
    static let scenario = DrillFixture.scenario("slow-request-timeout")

    static let expected: [String: String] = [
        "gunicorn":
            "app | GET /slow?ms=35000 in the background, waiting 45000 ms | watch app | GET /slow?ms=35000 through app, 5 s past gunicorn's timeout (30 s, its default, written in stacktop's gunicorn.conf.py): the master kills the silent worker (WORKER TIMEOUT) and starts another",
        "nginx-gunicorn":
            "app | GET /slow?ms=35000 in the background, waiting 45000 ms | watch app | GET /slow?ms=35000 through front, 5 s past gunicorn's timeout (30 s, its default, written in stacktop's gunicorn.conf.py): the master kills the silent worker (WORKER TIMEOUT) and starts another; nginx's read timeout (60 s, its default) is longer, so gunicorn cuts it first",
        "nginx-uwsgi":
            "REFUSED slow-request-timeout: no timeout to hit: stacktop's uWSGI config sets no harakiri, so a slow request runs to its end",
        "waitress":
            "REFUSED slow-request-timeout: no timeout to hit: waitress has no request timeout (channel_timeout only closes idle connections)",
        "werkzeug": "REFUSED slow-request-timeout: no timeout to hit: the Werkzeug dev server has no request timeout",
        "nginx-flup": "REFUSED slow-request-timeout: no timeout to hit: flup has no request timeout",
        "apache-mod-wsgi":
            "REFUSED slow-request-timeout: no timeout to hit: stacktop's WSGIDaemonProcess sets no request-timeout, and Apache's own Timeout (60 s) is no shorter than the longest request the demo app makes (60 s)",
    ]

    func testPlanOnSeedTopologies() throws {
        for (stem, want) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let t = try DrillFixture.topology(stem)
            XCTAssertEqual(DrillPlanTests.outcome(Self.scenario, t), want, stem)
        }
    }

    func testNeedsTheDemoApp() throws {
        var t = try DrillFixture.topology("nginx-gunicorn")
        t.app = AppSpec(module: "shop.wsgi:application", directory: "/srv/shop", isDemo: false)
        XCTAssertEqual(
            DrillPlanTests.outcome(Self.scenario, t),
            "REFUSED slow-request-timeout: needs the demo app's /slow route, and nginx-gunicorn serves shop.wsgi:application"
        )
    }

    /// gunicorn behind nginx, as measured: the worker is killed at its 30 s timeout, the client
    /// gets gunicorn's 500 (no X-Worker-Pid), a new worker takes the slot; no load request fails.
    func testTrackerWaitsForTheSlowAnswerAndReportsIt() throws {
        let t = try DrillFixture.topology("nginx-gunicorn")
        let d = DrillFixture.self
        let replacement = d.worker(105, of: 100, start: d.tick(33_110))
        let after = [d.master, d.worker2, replacement, d.nginx, d.nginxW1, d.nginxW2]
        let slow = DrillRequest(tMs: 33_150, scheduledMs: 3_000, status: 500, path: "/slow?ms=35000")
        let steps: [(Int, DrillSim.Step)] =
            [
                (33_100, .observe(.exited(pid: 101, signal: 6, status: nil))),
                (33_110, .observe(.scanned(ProcessSnapshot(after)))),
                (33_150, .request(slow)),
            ]
            + Load.requests(2_000, 40_000) { s in
                if s < 3_000 { return .ok(Load.alternate([101, 102], s)) }
                if s < 33_200 { return .ok(102) }
                return .ok(Load.alternate([102, 105], s))
            }
        let early = try DrillSim.run(Self.scenario, on: t, processes: d.plainGunicorn, steps: steps, until: 20_000)
        XCTAssertNil(early.tracker?.report, "no verdict while the slow request runs")
        XCTAssertTrue(try early.report(at: 20_000).stillWrong.contains("GET /slow?ms=35000 has not been answered yet"))

        let sim = try DrillSim.run(Self.scenario, on: t, processes: d.plainGunicorn, steps: steps, until: 40_000)
        let report = try sim.report(at: 40_000)
        XCTAssertTrue(report.recovered, "\(report.stillWrong)")
        XCTAssertGreaterThanOrEqual(report.recoveredMs ?? 0, 30_150)
        XCTAssertEqual(report.failedRequests, 0, "the load is untouched: \(report.failures)")
        let got = try XCTUnwrap(report.slowRequest)
        XCTAssertEqual(got.outcome, "500")
        XCTAssertEqual(got.tookMs, 30_150)
        XCTAssertFalse(got.fromApp)
        XCTAssertEqual(report.replacements.map { "\($0.oldPid)->\($0.newPid)" }, ["101->105"])
        let text = report.textLines(width: 200)
        XCTAssertTrue(text.contains { $0.contains("slow GET") && $0.contains("500 after 30.15 s") }, "\(text)")
        XCTAssertTrue(report.jsonLine.contains(#""slow_request":{"path":"/slow?ms=35000""#), report.jsonLine)
    }

    /// compare --scenario slow-request-timeout: what the client got per stack, and from which hop.
    func testComparisonShowsWhatTheClientGotAndTheAccessLogs() {
        func run(_ took: Int) -> DrillReport {
            var r = DrillReport(
                scenario: "slow-request-timeout", topology: "nginx-gunicorn", target: "app", detail: "",
                loadRps: 20, faultAtMs: 3_000, timeoutMs: 50_000, quietMs: 1_000, replacementSpawnedMs: took - 50,
                recovered: true, recoveredMs: took + 10, endedMs: took + 1_010)
            r.slowRequest = DrillReport.SlowRequest(
                path: "/slow?ms=35000", timeoutSeconds: 30, tookMs: took, status: 500,
                frontStatus: "500", upstreamStatus: "500", appStatus: "500")
            r.explanations = ["app: [CRITICAL] WORKER TIMEOUT (pid:7)"]
            return r
        }
        let c = DrillComparison(
            scenario: "slow-request-timeout", topologies: ["nginx-gunicorn", "waitress"],
            reports: [run(30_100), run(30_300)],
            refusals: ["waitress": "no timeout to hit: waitress has no request timeout"])
        XCTAssertEqual(c.headings, DrillComparison.slowHeadings)
        XCTAssertEqual(
            c.cells[0],
            [
                "nginx-gunicorn", "2", "2× 500", "30200 ms (30100–30300)", "front 500, upstream 500, app 500",
                "30150 ms (30050–30250)", "30210 ms (30110–30310)", "0",
            ])
        XCTAssertEqual(c.cells[1][2], "refused: no timeout to hit: waitress has no request timeout")
        XCTAssertEqual(c.explanationLines, ["nginx-gunicorn: app: [CRITICAL] WORKER TIMEOUT (pid:7)"])
        XCTAssertTrue(c.json.contains(#""slow_request":{"500":2}"#), c.json)
    }
}
