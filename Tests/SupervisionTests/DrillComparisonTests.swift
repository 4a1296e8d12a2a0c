import XCTest
@testable import Supervision

/// The compare table: medians and spreads per topology, in three renderings.
final class DrillComparisonTests: XCTestCase {
    /// A report with just the figures the table reads.
    static func run(
        _ topology: String, exit: Int?, spawned: Int?, served: Int?, recovered: Int?, failed: [String: Int] = [:],
        window: (Int, Int)? = nil
    ) -> DrillReport {
        DrillReport(
            scenario: "kill-worker", topology: topology, target: "app worker 1 (pid 1)", detail: "", loadRps: 20,
            faultAtMs: 3_000, timeoutMs: 15_000, quietMs: 1_000, exitDetectedMs: exit, replacementSpawnedMs: spawned,
            firstServedByReplacementMs: served, failures: failed, firstFailureMs: window?.0, lastFailureMs: window?.1,
            recovered: recovered != nil, recoveredMs: recovered, endedMs: 2_000)
    }

    static let reports: [DrillReport] = [
        run(
            "nginx-gunicorn-supervisord", exit: 4, spawned: 11, served: 150, recovered: 150, failed: ["502": 1],
            window: (4, 4)),
        run(
            "nginx-uwsgi-supervisord", exit: 3, spawned: 552, served: 605, recovered: 605, failed: ["502": 1],
            window: (2, 2)),
        run("nginx-gunicorn-supervisord", exit: 5, spawned: 12, served: 98, recovered: 98),
        run(
            "nginx-uwsgi-supervisord", exit: 4, spawned: 91, served: 118, recovered: 118, failed: ["502": 2],
            window: (3, 40)),
        run(
            "nginx-gunicorn-supervisord", exit: 3, spawned: 9, served: 201, recovered: 201, failed: ["502": 1],
            window: (3, 3)),
        run(
            "nginx-uwsgi-supervisord", exit: 6, spawned: nil, served: nil, recovered: nil, failed: ["502": 300],
            window: (5, 14_955)),
        run("apache-mod-wsgi", exit: 4, spawned: 403, served: 628, recovered: 628, failed: ["500": 1], window: (6, 6)),
    ]

    static let comparison = DrillComparison(
        scenario: "kill-worker",
        topologies: ["nginx-gunicorn-supervisord", "nginx-uwsgi-supervisord", "apache-mod-wsgi", "waitress"],
        reports: reports, refusals: ["waitress": "app (waitress) runs as one process with no master: use kill-worker"])

    func testSpreads() {
        let cases: [([Int], Double?, Int?, Int?)] = [
            ([], nil, nil, nil), ([7], 7, 7, 7), ([3, 1, 2], 2, 1, 3), ([4, 1, 3, 2], 2.5, 1, 4), ([5, 5], 5, 5, 5),
        ]
        for (values, median, min, max) in cases {
            let s = DrillComparison.Spread(values)
            XCTAssertEqual(s?.median, median, "\(values)")
            XCTAssertEqual(s?.min, min, "\(values)")
            XCTAssertEqual(s?.max, max, "\(values)")
            XCTAssertEqual(s?.count, values.isEmpty ? nil : values.count)
        }
    }

    /// The table's figures are the medians of the reports of each row, computed by hand here.
    func testRowsAreMediansOfTheirReports() {
        let rows = Self.comparison.rows
        XCTAssertEqual(
            rows.map(\.topology),
            ["nginx-gunicorn-supervisord", "nginx-uwsgi-supervisord", "apache-mod-wsgi", "waitress"])
        let gunicorn = rows[0]
        XCTAssertEqual(gunicorn.runs, 3)
        XCTAssertEqual(gunicorn.exitDetected?.median, 4)  // 4, 5, 3
        XCTAssertEqual(gunicorn.replacementSpawned?.median, 11)  // 11, 12, 9
        XCTAssertEqual(gunicorn.firstServed?.median, 150)  // 150, 98, 201
        XCTAssertEqual(gunicorn.recovered?.median, 150)
        XCTAssertEqual(gunicorn.failed?.median, 1)  // 1, 0, 1
        XCTAssertEqual(gunicorn.failed?.min, 0)
        XCTAssertEqual(gunicorn.failureWindow?.count, 2, "only runs with failures have a window")
        let uwsgi = rows[1]
        XCTAssertEqual(uwsgi.notRecovered, 1)
        XCTAssertEqual(uwsgi.recovered?.median, 361.5, "over the 2 runs that recovered: 605, 118")
        XCTAssertEqual(uwsgi.replacementSpawned?.count, 2)
        XCTAssertEqual(uwsgi.failed?.median, 2)  // 1, 2, 300
        XCTAssertEqual(uwsgi.failed?.max, 300)
        XCTAssertEqual(rows[3].refusal, "app (waitress) runs as one process with no master: use kill-worker")
        XCTAssertNil(rows[3].recovered)
    }

    func testText() {
        XCTAssertEqual(
            Self.comparison.text,
            """
            Drill kill-worker: median (min–max) over the runs of each stack; times in ms after the fault.
            topology                    runs  exit detected                   replaced                first served                                recovered  failed requests   failure window
            --------------------------  ----  -------------  -------------------------  --------------------------  ---------------------------------------  ---------------  ---------------
            nginx-gunicorn-supervisord     3     4 ms (3–5)               11 ms (9–12)             150 ms (98–201)                          150 ms (98–201)          1 (0–1)     0 ms, 2 of 3
            nginx-uwsgi-supervisord        3     4 ms (3–6)  321.5 ms (91–552), 2 of 3  361.5 ms (118–605), 2 of 3  361.5 ms (118–605), 1/3 did not recover        2 (1–300)  37 ms (0–14950)
            apache-mod-wsgi                1           4 ms                     403 ms                      628 ms                                   628 ms                1             0 ms
            waitress                       0  refused: app (waitress) runs as one process with no master: use kill-worker

            """)
    }

    func testMarkdown() {
        XCTAssertEqual(
            Self.comparison.markdown,
            """
            Drill kill-worker: median (min–max) over the runs of each stack; times in ms after the fault.

            | topology | runs | exit detected | replaced | first served | recovered | failed requests | failure window |
            |---|---:|---:|---:|---:|---:|---:|---:|
            | nginx-gunicorn-supervisord | 3 | 4 ms (3–5) | 11 ms (9–12) | 150 ms (98–201) | 150 ms (98–201) | 1 (0–1) | 0 ms, 2 of 3 |
            | nginx-uwsgi-supervisord | 3 | 4 ms (3–6) | 321.5 ms (91–552), 2 of 3 | 361.5 ms (118–605), 2 of 3 | 361.5 ms (118–605), 1/3 did not recover | 2 (1–300) | 37 ms (0–14950) |
            | apache-mod-wsgi | 1 | 4 ms | 403 ms | 628 ms | 628 ms | 1 | 0 ms |
            | waitress | 0 | refused: app (waitress) runs as one process with no master: use kill-worker |  |  |  |  |  |

            """)
    }

    func testJSON() {
        XCTAssertEqual(
            Self.comparison.json,
            #"{"type":"compare","scenario":"kill-worker","rows":[{"topology":"nginx-gunicorn-supervisord","runs":3,"exit_detected_ms":{"median":4.0,"min":3,"max":5,"n":3},"replacement_spawned_ms":{"median":11.0,"min":9,"max":12,"n":3},"first_served_ms":{"median":150.0,"min":98,"max":201,"n":3},"recovered_ms":{"median":150.0,"min":98,"max":201,"n":3},"not_recovered":0,"failed_requests":{"median":1.0,"min":0,"max":1,"n":3},"failure_window_ms":{"median":0.0,"min":0,"max":0,"n":2}},{"topology":"nginx-uwsgi-supervisord","runs":3,"exit_detected_ms":{"median":4.0,"min":3,"max":6,"n":3},"replacement_spawned_ms":{"median":321.5,"min":91,"max":552,"n":2},"first_served_ms":{"median":361.5,"min":118,"max":605,"n":2},"recovered_ms":{"median":361.5,"min":118,"max":605,"n":2},"not_recovered":1,"failed_requests":{"median":2.0,"min":1,"max":300,"n":3},"failure_window_ms":{"median":37.0,"min":0,"max":14950,"n":3}},{"topology":"apache-mod-wsgi","runs":1,"exit_detected_ms":{"median":4.0,"min":4,"max":4,"n":1},"replacement_spawned_ms":{"median":403.0,"min":403,"max":403,"n":1},"first_served_ms":{"median":628.0,"min":628,"max":628,"n":1},"recovered_ms":{"median":628.0,"min":628,"max":628,"n":1},"not_recovered":0,"failed_requests":{"median":1.0,"min":1,"max":1,"n":1},"failure_window_ms":{"median":0.0,"min":0,"max":0,"n":1}},{"topology":"waitress","runs":0,"refused":"app (waitress) runs as one process with no master: use kill-worker","exit_detected_ms":null,"replacement_spawned_ms":null,"first_served_ms":null,"recovered_ms":null,"not_recovered":0,"failed_requests":null,"failure_window_ms":null}]}"#
        )
    }
}
