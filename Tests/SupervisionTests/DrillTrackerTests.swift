import StackModel
import StackRecipes
import XCTest
@testable import Supervision

/// Table-driven drills: realistic process scans, exits and client requests in; the report's
/// figures out. The observer is the real `StackObserver`, so the events are the ones a live
/// stack produces. The fault is at 3000 ms since launch; figures are ms after it.
final class DrillTrackerTests: XCTestCase {
    typealias D = DrillFixture
    typealias F = Fixture
    typealias A = Load.Answer

    struct Case {
        let name: String
        let stem: String
        let scenario: String
        let processes: [ObservedProcess]
        let steps: [(Int, DrillSim.Step)]
        var until = 18_200
        var exit: Int?
        var spawned: Int?
        var served: Int?
        var failures: [String: Int] = [:]
        var window: (Int, Int)?
        /// nil: did not recover.
        var recovered: Int?
        var wrong: [String] = []
        var orphans: [Int32] = []
        var replacements: [String] = []
        var down: Int?
        var looping: Int?
        var provoked: DrillReport.Provoked?
        var slowest: Int?
        var resumed: Int?
    }

    static func scan(_ ps: [ObservedProcess]) -> DrillSim.Step { .observe(.scanned(ProcessSnapshot(ps))) }
    static func exited(_ pid: Int32, signal: Int32? = 9, status: Int32? = nil) -> DrillSim.Step {
        .observe(.exited(pid: pid, signal: signal, status: status))
    }
    static func without(_ ps: [ObservedProcess], _ pids: Int32...) -> [ObservedProcess] {
        ps.filter { !pids.contains($0.pid) }
    }
    static func orphan(_ p: ObservedProcess) -> ObservedProcess { F.reparented(p, to: 1) }

    static let supervised = D.supervisedGunicorn
    /// Replacements and their kernel start times (ms after launch, 10 ms ticks).
    static let newWorker = D.worker(405, of: 401, start: D.tick(3_010))
    static let newWorker2 = D.worker(406, of: 401, start: D.tick(3_010))
    static let newMaster = F.p(404, parent: 400, start: D.tick(3_010), "app", .master, depth: 0, "gunicorn")

    static let cases: [Case] = [
        Case(
            name: "gunicorn worker SIGKILLed under supervisord: replaced in 11 ms, the request in flight gets a 502",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-worker", processes: supervised,
            steps: [(3_004, exited(402)), (3_011, scan(without(supervised, 402) + [newWorker]))]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s == 3_000 { return A(status: 502, latency: 4) }
                    if s < 3_100 { return .ok(403) }
                    return .ok(Load.alternate([403, 405], s))
                },
            exit: 4, spawned: 10, served: 155, failures: ["502": 1], window: (4, 4), recovered: 155,
            replacements: ["app worker 402->405 +10 (seen +11) served +155"]),
        Case(
            name: "uWSGI worker under supervisord: the master reaps on its 1 s tick, replacement after 552 ms",
            stem: "nginx-uwsgi-supervisord", scenario: "kill-worker", processes: supervised,
            steps: [
                (3_003, exited(402)),
                (3_552, scan(without(supervised, 402) + [D.worker(405, of: 401, start: D.tick(3_550))])),
            ]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s == 3_000 { return A(status: 502, latency: 2) }
                    if s < 3_600 { return .ok(403) }
                    return .ok(Load.alternate([405, 403], s))
                },
            exit: 3, spawned: 550, served: 605, failures: ["502": 1], window: (2, 2), recovered: 605,
            replacements: ["app worker 402->405 +550 (seen +552) served +605"]),
        Case(
            name:
                "gunicorn master SIGKILLed under supervisord: new master in 20 ms, 502s until its workers serve; orphans exit later without delaying recovery",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-master", processes: supervised,
            steps: [
                (3_002, exited(401)),
                (
                    3_020,
                    scan([
                        D.sup, newMaster, orphan(D.gWorker1), orphan(D.gWorker2),
                        D.worker(405, of: 404, start: D.tick(3_020)), D.worker(406, of: 404, start: D.tick(3_020)),
                        D.nMaster, D.nWorker1, D.nWorker2,
                    ])
                ),
                (
                    4_500,
                    scan([
                        D.sup, newMaster, D.worker(405, of: 404, start: D.tick(3_020)),
                        D.worker(406, of: 404, start: D.tick(3_020)),
                        D.nMaster, D.nWorker1, D.nWorker2,
                    ])
                ),
            ]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s < 3_050 { return .ok(402) }
                    if s < 3_300 { return .status(502) }
                    if s < 3_650 { return .ok(405) }
                    return .ok(Load.alternate([405, 406], s))
                },
            exit: 2, spawned: 10, served: 305, failures: ["502": 5], window: (55, 255), recovered: 655,
            replacements: ["app master 401->404 +10 (seen +20) served +305"]),
        Case(
            name:
                "uWSGI master SIGKILLed under supervisord: its workers die with it, a new master 1.47 s later, new workers in the same slot numbers",
            stem: "nginx-uwsgi-supervisord", scenario: "kill-master", processes: supervised,
            steps: [
                (3_002, exited(401)),
                (3_050, scan(without(supervised, 401, 402, 403))),
                (4_480, scan(without(supervised, 401, 402, 403) + [uMaster])),
                (
                    4_600,
                    scan(
                        without(supervised, 401, 402, 403) + [
                            uMaster, D.worker(405, of: 404, start: D.tick(4_590)),
                            D.worker(406, of: 404, start: D.tick(4_590)),
                        ])
                ),
            ]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s < 4_650 { return .status(502) }
                    return .ok(Load.alternate([405, 406], s))
                },
            exit: 2, spawned: 1_470, served: 1_655, failures: ["502": 33], window: (5, 1_605), recovered: 1_705,
            replacements: ["app master 401->404 +1470 (seen +1480) served +1655"]),
        Case(
            name:
                "gunicorn master SIGKILLed without a supervisor: down at once, orphans serve until they exit, then every request is a 502",
            stem: "nginx-gunicorn", scenario: "kill-master", processes: D.plainGunicorn,
            steps: [
                (3_003, exited(100)),
                (3_050, scan([orphan(D.worker1), orphan(D.worker2), D.nginx, D.nginxW1, D.nginxW2])),
                (4_500, scan([orphan(D.worker2), D.nginx, D.nginxW1, D.nginxW2])),
                (6_000, scan([D.nginx, D.nginxW1, D.nginxW2])),
            ]
                + Load.requests(2_800, 18_300) { s in
                    if s < 4_500 { return .ok(Load.alternate([101, 102], s)) }
                    if s < 6_000 { return .ok(102) }
                    return .status(502)
                },
            exit: 3, failures: ["502": 240], window: (3_005, 14_955),
            wrong: [
                "app is down: its master (pid 100) died and nothing restarted it", "app has 0 of 1 master running",
                "app has 0 of 2 workers running", "20 requests failed in the last second",
                "the front door has answered no request since the failure at +14955 ms",
            ],
            down: 3),
        Case(
            name:
                "Apache parent SIGKILLed (kill-master of mod_wsgi): all of Apache is down, its orphaned daemons keep serving",
            stem: "apache-mod-wsgi", scenario: "kill-master", processes: D.apacheStack,
            steps: [
                (3_002, exited(700)),
                (3_050, scan(D.apacheStack.dropFirst().map(orphan))),
            ] + Load.requests(2_800, 18_300) { s in .ok(Load.alternate([703, 704], s)) },
            exit: 2,
            wrong: [
                "front is down: its master (pid 700) died and nothing restarted it",
                "front has 0 of 1 front process running",
                "front has 0 of 2 workers running (2 orphaned workers still alive)",
                "app has 0 of 2 workers running (2 orphaned workers still alive)",
            ],
            orphans: [701, 702, 703, 704], down: 2),
        Case(
            name: "every gunicorn worker SIGKILLed: both replaced, each must serve before recovery",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-all-workers", processes: supervised,
            steps: [
                (3_003, exited(402)), (3_004, exited(403)),
                (3_012, scan(without(supervised, 402, 403) + [newWorker, newWorker2])),
            ]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s < 3_100 { return .status(502) }
                    return .ok(Load.alternate([405, 406], s))
                },
            exit: 3, spawned: 10, served: 105, failures: ["502": 2], window: (5, 55), recovered: 155,
            replacements: [
                "app worker 402->405 +10 (seen +12) served +105", "app worker 403->406 +10 (seen +12) served +155",
            ]),
        Case(
            name: "worker SIGSTOPped for 5 s: nothing exits; one request times out, one is answered late after SIGCONT",
            stem: "nginx-gunicorn-supervisord", scenario: "stop-worker", processes: supervised,
            steps: [
                (8_000, .cleared),
                (7_995, .request(DrillRequest(tMs: 7_995, scheduledMs: 2_995, error: "timeout", path: "/"))),
                (
                    8_002,
                    .request(
                        DrillRequest(tMs: 8_002, scheduledMs: 2_990, status: 200, workerPid: 402, path: "/slow?ms=50"))
                ),
            ]
                + Load.requests(2_800, 12_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s < 8_000 { return .ok(403) }
                    return .ok(Load.alternate([403, 402], s))
                },
            failures: ["timeout": 1], window: (4_995, 4_995), recovered: 5_002, slowest: 5_012, resumed: 5_000),
        Case(
            name: "GET /crash: the worker kills itself; its own request fails by design and is counted apart",
            stem: "nginx-gunicorn-supervisord", scenario: "crash-inside", processes: supervised,
            steps: [
                (3_008, .request(DrillRequest(tMs: 3_008, scheduledMs: 3_000, status: 502, path: "/crash"))),
                (3_006, exited(402)), (3_016, scan(without(supervised, 402) + [newWorker])),
            ]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s < 3_100 { return .ok(403) }
                    return .ok(Load.alternate([403, 405], s))
                },
            exit: 6, spawned: 10, served: 155, recovered: 155,
            replacements: ["app worker 402->405 +10 (seen +16) served +155"],
            provoked: DrillReport.Provoked(sent: 1, failures: ["502": 1])),
        Case(
            name:
                "crash-loop under supervisord: every new master dies importing the app; crash_looping at the 5th exit, never recovers",
            stem: "nginx-gunicorn-supervisord", scenario: "crash-loop", processes: supervised,
            steps: crashLoopSteps
                + Load.requests(2_800, 18_300) { s in
                    s < 3_000 ? .ok(Load.alternate([402, 403], s)) : .status(502)
                },
            exit: 2, spawned: 10, failures: ["502": 300], window: (5, 14_955),
            wrong: [
                "app has 0 of 1 master running", "app has 0 of 2 workers running",
                "app master 1 is crash-looping (5 exits in the window)", "20 requests failed in the last second",
                "the front door has answered no request since the failure at +14955 ms",
            ],
            replacements: [
                "app master 401->420 +10 (seen +20)", "app master 420->421 +1410 (seen +1420)",
                "app master 421->422 +3810 (seen +3820)", "app master 422->423 +7210 (seen +7220)",
            ],
            looping: 7_600),
        Case(
            name:
                "nginx master SIGKILLed under supervisord: orphaned workers keep the port and serve, each new master fails to bind",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-front", processes: supervised,
            steps: killFrontSteps + Load.requests(2_800, 18_300) { s in .ok(Load.alternate([402, 403], s)) },
            exit: 2, spawned: 10, wrong: ["front has 0 of 2 workers running (2 orphaned workers still alive)"],
            orphans: [411, 412],
            replacements: [
                "front front 410->413 +10 (seen +20)", "front front 413->414 +3530 (seen +3540)",
                "front front 414->415 +7050 (seen +7060)", "front front 415->416 +10570 (seen +10580)",
                "front front 416->417 +14090 (seen +14100)",
            ]),
        Case(
            name: "supervisord SIGKILLed: no request fails, but nothing supervises the stack any more",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-supervisor", processes: supervised,
            steps: [
                (3_001, exited(400)),
                (3_050, scan([orphan(D.gMaster), D.gWorker1, D.gWorker2, orphan(D.nMaster), D.nWorker1, D.nWorker2])),
            ]
                + Load.requests(2_800, 18_300) { s in .ok(Load.alternate([402, 403], s)) },
            exit: 1,
            wrong: [
                "supervisor is down: its supervisor (pid 400) died and nothing restarted it",
                "supervisor has 0 of 1 supervisor running",
            ],
            orphans: [401, 410], down: 1),
        Case(
            name:
                "an app without X-Worker-Pid: recovered once the slot is filled and requests succeed, no first-served figure",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-worker", processes: supervised,
            steps: [(3_004, exited(402)), (3_011, scan(without(supervised, 402) + [newWorker]))]
                + Load.requests(2_800, 9_000) { s in s == 3_000 ? A(status: 502, latency: 4) : .ok(nil) },
            exit: 4, spawned: 10, failures: ["502": 1], window: (4, 4), recovered: 11,
            replacements: ["app worker 402->405 +10 (seen +11)"]),
        Case(
            name: "a replacement that never gets a request: the stack is not called recovered",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-worker", processes: supervised,
            steps: [(3_004, exited(402)), (3_011, scan(without(supervised, 402) + [newWorker]))]
                + Load.requests(2_800, 18_300) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    return s == 3_000 ? A(status: 502, latency: 4) : .ok(403)
                },
            exit: 4, spawned: 10, failures: ["502": 1], window: (4, 4),
            wrong: ["app worker 1 (pid 405, new) has not answered a request yet"],
            replacements: ["app worker 402->405 +10 (seen +11)"]),
        Case(
            name:
                "a failure after the replacement served restarts the quiet second; the app's own /error 500 is no failure",
            stem: "nginx-gunicorn-supervisord", scenario: "kill-worker", processes: supervised,
            steps: [
                (3_004, exited(402)), (3_011, scan(without(supervised, 402) + [newWorker])),
                (
                    3_510,
                    .request(DrillRequest(tMs: 3_510, scheduledMs: 3_505, status: 500, workerPid: 403, path: "/error"))
                ),
                (3_620, .request(DrillRequest(tMs: 3_620, scheduledMs: 3_615, status: 500, path: "/error"))),
            ]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([402, 403], s)) }
                    if s == 3_000 { return A(status: 502, latency: 4) }
                    if s == 3_900 { return A(error: "reset") }
                    return .ok(Load.alternate([403, 405], s))
                },
            exit: 4, spawned: 10, served: 55, failures: ["500": 1, "502": 1, "reset": 1], window: (4, 905),
            recovered: 905, replacements: ["app worker 402->405 +10 (seen +11) served +55"]),
        Case(
            name:
                "mod_wsgi daemon SIGKILLed: Apache starts a new one after 400 ms, the observer places it 300 ms later; a 500 in flight",
            stem: "apache-mod-wsgi", scenario: "kill-worker", processes: D.apacheStack,
            steps: [(3_003, exited(703)), (3_700, scan(without(D.apacheStack, 703) + [heldDaemon]))]
                + Load.requests(2_800, 9_000) { s in
                    if s < 3_000 { return .ok(Load.alternate([703, 704], s)) }
                    if s == 3_000 { return A(status: 500, latency: 2) }
                    if s < 3_950 { return .ok(704) }
                    return .ok(Load.alternate([704, 705], s))
                },
            exit: 3, spawned: 400, served: 955, failures: ["500": 1], window: (2, 2), recovered: 955,
            replacements: ["app worker 703->705 +400 (seen +700) served +955"]),
    ]

    static let uMaster = F.p(404, parent: 400, start: D.tick(4_470), "app", .master, depth: 0, "uWSGI master")
    static let heldDaemon = F.p(705, parent: 700, start: D.tick(3_400), "app", .worker, depth: 0, "wsgi-app")

    func testHeldBackReplacementIsTimedByItsKernelStart() throws {
        let c = try XCTUnwrap(Self.cases.last)
        let sim = try DrillSim.run(
            D.scenario(c.scenario), on: D.topology(c.stem), processes: c.processes,
            steps: c.steps, until: c.until)
        let lines = try sim.report(at: c.until).textLines()
        XCTAssertTrue(
            lines.contains("  replaced   +400 ms (seen +700 ms): app worker 703 -> 705, first served +955 ms"),
            "\(lines)")
        let replaced = try XCTUnwrap(sim.events.first { $0.typeName == "replaced" })
        XCTAssertEqual(replaced.tMs, 3_700, "the event stream keeps the observer's time")
    }

    /// crash-loop under supervisord: the master is killed at 3000 and its workers die with it;
    /// supervisord restarts the master 4 times (1 s, 2 s, 3 s backoff), each dies at import.
    static let crashLoopSteps: [(Int, DrillSim.Step)] = {
        let rest = [D.sup, D.nMaster, D.nWorker1, D.nWorker2]
        var steps: [(Int, DrillSim.Step)] = [(3_002, exited(401)), (3_002, scan(rest))]
        let masters: [(Int32, Int, Int)] = [
            (420, 3_020, 3_400), (421, 4_420, 4_800), (422, 6_820, 7_200), (423, 10_220, 10_600),
        ]
        for (pid, up, down) in masters {
            let m = F.p(pid, parent: 400, start: D.tick(up - 10), "app", .master, depth: 0, "gunicorn")
            steps += [(up, scan(rest + [m])), (down, exited(pid, signal: nil, status: 3)), (down, scan(rest))]
        }
        return steps
    }()

    /// kill-front under supervisord: the nginx master dies at 3000; each new one exits 2.5 s
    /// later (bind fails: the orphaned workers hold the port) and supervisord starts another 1 s on.
    static let killFrontSteps: [(Int, DrillSim.Step)] = {
        let rest = [D.sup, D.gMaster, D.gWorker1, D.gWorker2, orphan(D.nWorker1), orphan(D.nWorker2)]
        var steps: [(Int, DrillSim.Step)] = [(3_002, exited(410))]
        let masters: [(Int32, Int)] = [(413, 3_020), (414, 6_540), (415, 10_060), (416, 13_580), (417, 17_100)]
        for (pid, up) in masters {
            let m = F.p(pid, parent: 400, start: D.tick(up - 10), "front", .front, depth: 0, "nginx: master process")
            steps += [(up, scan(rest + [m]))]
            if up + 2_500 < 18_000 {
                steps += [(up + 2_500, exited(pid, signal: nil, status: 1)), (up + 2_500, scan(rest))]
            }
        }
        return steps
    }()

    func testDrills() throws {
        for c in Self.cases {
            let sim = try DrillSim.run(
                D.scenario(c.scenario), on: D.topology(c.stem), processes: c.processes,
                steps: c.steps, until: c.until)
            let r = try sim.report(at: c.until)
            XCTAssertEqual(r.exitDetectedMs, c.exit, "exit: \(c.name)")
            XCTAssertEqual(r.replacementSpawnedMs, c.spawned, "spawned: \(c.name)")
            XCTAssertEqual(r.firstServedByReplacementMs, c.served, "served: \(c.name)")
            XCTAssertEqual(r.failures, c.failures, "failures: \(c.name)")
            XCTAssertEqual(r.firstFailureMs, c.window?.0, "first failure: \(c.name)")
            XCTAssertEqual(r.lastFailureMs, c.window?.1, "last failure: \(c.name)")
            XCTAssertEqual(r.recovered, c.recovered != nil, "recovered: \(c.name) \(r.stillWrong)")
            XCTAssertEqual(r.recoveredMs, c.recovered, "recovered at: \(c.name)")
            XCTAssertEqual(r.downMs, c.down, "down: \(c.name)")
            XCTAssertEqual(r.crashLoopingMs, c.looping, "looping: \(c.name)")
            XCTAssertEqual(r.provoked, c.provoked, "provoked: \(c.name)")
            XCTAssertEqual(r.resumedMs, c.resumed, "resumed: \(c.name)")
            if let slowest = c.slowest { XCTAssertEqual(r.slowestMs, slowest, "slowest: \(c.name)") }
            XCTAssertEqual(r.orphans.map(\.pid), c.orphans, "orphans: \(c.name)")
            XCTAssertEqual(r.replacements.map(Self.describe), c.replacements, "replacements: \(c.name)")
            // Invariants every report keeps.
            XCTAssertLessThanOrEqual(r.failedRequests, r.requests, "failed <= sent: \(c.name)")
            XCTAssertTrue(
                r.replacements.allSatisfy { $0.spawnedMs <= $0.seenMs && $0.spawnedMs >= 0 },
                "spawned <= seen: \(c.name)")
            if let at = r.recoveredMs {
                XCTAssertGreaterThanOrEqual(at, r.lastFailureMs ?? 0, "no failure after recovery: \(c.name)")
                XCTAssertGreaterThanOrEqual(
                    at, r.replacementSpawnedMs ?? 0, "recovered after the replacement: \(c.name)")
                XCTAssertGreaterThanOrEqual(at, r.exitDetectedMs ?? 0, "recovered after the exit: \(c.name)")
            }
            if c.recovered == nil {
                XCTAssertEqual(r.stillWrong, c.wrong, "still wrong: \(c.name)")
                XCTAssertEqual(r.endedMs, 15_000, "a drill that does not recover ends at its timeout: \(c.name)")
            } else {
                XCTAssertEqual(r.stillWrong, [], c.name)
                let confirmed = (c.recovered ?? 0) + 1_000 + DrillTracker.confirmGraceMs
                XCTAssertGreaterThanOrEqual(r.endedMs, confirmed, "confirmed only after the quiet second: \(c.name)")
                XCTAssertLessThan(r.endedMs, confirmed + 100, "confirmed at the next input: \(c.name)")
            }
        }
    }

    static func describe(_ r: DrillReport.Replacement) -> String {
        "\(r.component) \(r.role) \(r.oldPid)->\(r.newPid) +\(r.spawnedMs)"
            + (r.seenMs != r.spawnedMs ? " (seen +\(r.seenMs))" : "") + (r.firstServedMs.map { " served +\($0)" } ?? "")
    }
}
