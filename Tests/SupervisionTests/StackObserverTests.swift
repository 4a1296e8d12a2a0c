import StackRecipes
import XCTest
@testable import Supervision

/// Table-driven scenarios: inputs at explicit times in, the exact events out.
final class StackObserverTests: XCTestCase {
    struct Scenario {
        let name: String
        let steps: [(Int, Observation)]
        let expected: [StackEvent]
    }

    typealias F = Fixture

    static let gunicornSpawned: [StackEvent] = [
        F.e(0, .spawned(ppid: 50), "app", .master, 100),
        F.e(0, .spawned(ppid: 100), "app", .worker, 101),
        F.e(0, .spawned(ppid: 100), "app", .worker, 102),
    ]

    static let scenarios: [Scenario] = [
        Scenario(
            name: "gunicorn worker SIGKILLed, replaced 11 ms later",
            steps: [
                (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (5_000, .exited(pid: 101, signal: 9, status: nil)),
                (5_011, F.scan(F.gMaster, F.gWorker2, F.p(103, parent: 100, start: 1_600, "app", .worker, depth: 1))),
            ],
            expected: gunicornSpawned + [
                F.e(5_000, .exited(signal: 9, status: nil), "app", .worker, 101),
                F.e(5_011, .spawned(ppid: 100), "app", .worker, 103),
                F.e(5_011, .replaced(oldPid: 101, newPid: 103, gapMs: 11), "app", .worker, 103),
            ]),
        Scenario(
            name: "uWSGI worker replaced after 552 ms; the router's slot is not taken by a worker",
            steps: [
                (0, F.scan(F.uMaster, F.uWorker1, F.uWorker2, F.uRouter)),
                (2_900, F.scan(F.uMaster, F.uWorker1, F.uWorker2)),
                (3_000, .exited(pid: 201, signal: 9, status: nil)),
                (3_552, F.scan(F.uMaster, F.uWorker2, F.uWorker3)),
                (3_766, F.scan(F.uMaster, F.uWorker2, F.uWorker3, F.uRouter2)),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "app", .master, 200),
                F.e(0, .spawned(ppid: 200), "app", .worker, 201),
                F.e(0, .spawned(ppid: 200), "app", .worker, 202),
                F.e(0, .spawned(ppid: 200), "app", .helper, 203),
                F.e(2_900, F.vanished, "app", .helper, 203),
                F.e(3_000, .exited(signal: 9, status: nil), "app", .worker, 201),
                F.e(3_552, .spawned(ppid: 200), "app", .worker, 204),
                F.e(3_552, .replaced(oldPid: 201, newPid: 204, gapMs: 552), "app", .worker, 204),
                F.e(3_766, .spawned(ppid: 200), "app", .helper, 205),
                F.e(3_766, .replaced(oldPid: 203, newPid: 205, gapMs: 866), "app", .helper, 205),
            ]),
        Scenario(
            name: "worker killed, never replaced: down when the 10 s window runs out",
            steps: [
                (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (1_000, .exited(pid: 101, signal: 9, status: nil)),
                (10_999, .tick),
                (11_000, .tick),
                (20_000, F.scan(F.gMaster, F.gWorker2)),
            ],
            expected: gunicornSpawned + [
                F.e(1_000, .exited(signal: 9, status: nil), "app", .worker, 101),
                F.e(11_000, .down, "app", .worker, 101),
            ]),
        Scenario(
            name: "a window that ran out is settled before a late newcomer, stamped with its deadline",
            steps: [
                (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (1_000, .exited(pid: 101, signal: 9, status: nil)),
                (12_000, F.scan(F.gMaster, F.gWorker2, F.p(103, parent: 100, start: 2_000, "app", .worker, depth: 1))),
            ],
            expected: gunicornSpawned + [
                F.e(1_000, .exited(signal: 9, status: nil), "app", .worker, 101),
                F.e(11_000, .down, "app", .worker, 101),
                F.e(12_000, .spawned(ppid: 100), "app", .worker, 103),
            ]),
        Scenario(
            name: "waitress, a single process launched by stacktop: its death is down at once",
            steps: [
                (0, F.scan(F.p(300, parent: F.stacktop, start: 3_000, "app", .worker, depth: 0, "waitress-serve"))),
                (2_000, F.scan()),
                (20_000, .tick),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "app", .worker, 300),
                F.e(2_000, F.vanished, "app", .worker, 300),
                F.e(2_000, .down, "app", .worker, 300),
            ]),
        Scenario(
            name: "gunicorn master SIGKILLed under supervisord: component replaced, old workers orphaned",
            steps: [
                (0, F.scan(F.sup, F.sMaster, F.sWorker1, F.sWorker2)),
                (1_000, .exited(pid: 401, signal: 9, status: nil)),
                (
                    1_020,
                    F.scan(
                        F.sup, F.p(404, parent: 400, start: 4_100, "app", .master, depth: 0),
                        F.reparented(F.sWorker1, to: 1), F.reparented(F.sWorker2, to: 1),
                        F.p(405, parent: 404, start: 4_110, "app", .worker, depth: 1),
                        F.p(406, parent: 404, start: 4_111, "app", .worker, depth: 1))
                ),
                (
                    1_500,
                    F.scan(
                        F.sup, F.p(404, parent: 400, start: 4_100, "app", .master, depth: 0),
                        F.p(405, parent: 404, start: 4_110, "app", .worker, depth: 1),
                        F.p(406, parent: 404, start: 4_111, "app", .worker, depth: 1))
                ),
                (30_000, .tick),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "supervisor", .supervisor, 400),
                F.e(0, .spawned(ppid: 400), "app", .master, 401),
                F.e(0, .spawned(ppid: 401), "app", .worker, 402),
                F.e(0, .spawned(ppid: 401), "app", .worker, 403),
                F.e(1_000, .exited(signal: 9, status: nil), "app", .master, 401),
                F.e(1_020, .spawned(ppid: 400), "app", .master, 404),
                F.e(1_020, .replaced(oldPid: 401, newPid: 404, gapMs: 20), "app", .master, 404),
                F.e(1_020, .spawned(ppid: 404), "app", .worker, 405),
                F.e(1_020, .spawned(ppid: 404), "app", .worker, 406),
                F.e(1_020, .orphaned, "app", .worker, 402),
                F.e(1_020, .orphaned, "app", .worker, 403),
                F.e(1_500, F.vanished, "app", .worker, 402),
                F.e(1_500, F.vanished, "app", .worker, 403),
            ]),
        Scenario(
            name: "nginx master SIGKILLed: front down, workers orphaned once and kept",
            steps: [
                (0, F.scan(F.nMaster, F.nWorker1, F.nWorker2)),
                (1_000, .exited(pid: 500, signal: 9, status: nil)),
                (1_100, F.scan(F.reparented(F.nWorker1, to: 1), F.reparented(F.nWorker2, to: 1))),
                (2_000, F.scan(F.reparented(F.nWorker1, to: 1), F.reparented(F.nWorker2, to: 1))),
                (60_000, .tick),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "web", .front, 500),
                F.e(0, .spawned(ppid: 500), "web", .worker, 501),
                F.e(0, .spawned(ppid: 500), "web", .worker, 502),
                F.e(1_000, .exited(signal: 9, status: nil), "web", .front, 500),
                F.e(1_000, .down, "web", .front, 500),
                F.e(1_100, .orphaned, "web", .worker, 501),
                F.e(1_100, .orphaned, "web", .worker, 502),
            ]),
        Scenario(
            name: "nginx master SIGKILLed under supervisord: replaced again and again while orphans hold the port",
            steps: [
                (
                    0,
                    F.scan(
                        F.sup, F.p(600, parent: 400, start: 6_000, "web", .front, depth: 0),
                        F.p(601, parent: 600, start: 6_010, "web", .worker, depth: 1))
                ),
                (1_000, .exited(pid: 600, signal: 9, status: nil)),
                (
                    1_020,
                    F.scan(
                        F.sup, F.p(601, parent: 1, start: 6_010, "web", .worker, depth: 1),
                        F.p(602, parent: 400, start: 6_100, "web", .front, depth: 0))
                ),
                (3_520, .exited(pid: 602, signal: nil, status: 1)),
                (
                    3_540,
                    F.scan(
                        F.sup, F.p(601, parent: 1, start: 6_010, "web", .worker, depth: 1),
                        F.p(603, parent: 400, start: 6_350, "web", .front, depth: 0))
                ),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "supervisor", .supervisor, 400),
                F.e(0, .spawned(ppid: 400), "web", .front, 600),
                F.e(0, .spawned(ppid: 600), "web", .worker, 601),
                F.e(1_000, .exited(signal: 9, status: nil), "web", .front, 600),
                F.e(1_020, .spawned(ppid: 400), "web", .front, 602),
                F.e(1_020, .replaced(oldPid: 600, newPid: 602, gapMs: 20), "web", .front, 602),
                F.e(1_020, .orphaned, "web", .worker, 601),
                F.e(3_520, .exited(signal: nil, status: 1), "web", .front, 602),
                F.e(3_540, .spawned(ppid: 400), "web", .front, 603),
                F.e(3_540, .replaced(oldPid: 602, newPid: 603, gapMs: 20), "web", .front, 603),
            ]),
        Scenario(
            name: "supervisord SIGKILLed: its program is orphaned; the program's later death is down at once",
            steps: [
                (0, F.scan(F.sup, F.sMaster, F.sWorker1)),
                (1_000, .exited(pid: 400, signal: 9, status: nil)),
                (1_050, F.scan(F.reparented(F.sMaster, to: 1), F.sWorker1)),
                (2_000, .exited(pid: 401, signal: 9, status: nil)),
                (2_100, F.scan(F.reparented(F.sWorker1, to: 1))),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "supervisor", .supervisor, 400),
                F.e(0, .spawned(ppid: 400), "app", .master, 401),
                F.e(0, .spawned(ppid: 401), "app", .worker, 402),
                F.e(1_000, .exited(signal: 9, status: nil), "supervisor", .supervisor, 400),
                F.e(1_000, .down, "supervisor", .supervisor, 400),
                F.e(1_050, .orphaned, "app", .master, 401),
                F.e(2_000, .exited(signal: 9, status: nil), "app", .master, 401),
                F.e(2_000, .down, "app", .master, 401),
                F.e(2_100, .orphaned, "app", .worker, 402),
            ]),
        Scenario(
            name: "stopping the stack: exits are facts, not failures",
            steps: [
                (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (1_000, .stopping(component: nil)),
                (1_100, .exited(pid: 101, signal: nil, status: 0)),
                (1_200, .exited(pid: 102, signal: nil, status: 0)),
                (1_300, .exited(pid: 100, signal: nil, status: 0)),
                (30_000, .tick),
            ],
            expected: gunicornSpawned + [
                F.e(1_100, .exited(signal: nil, status: 0), "app", .worker, 101),
                F.e(1_200, .exited(signal: nil, status: 0), "app", .worker, 102),
                F.e(1_300, .exited(signal: nil, status: 0), "app", .master, 100),
            ]),
        Scenario(
            name: "stopping one component: its leftovers are no orphans; the other still fails loudly",
            steps: [
                (0, F.scan(F.nMaster, F.nWorker1, F.gMaster, F.gWorker1)),
                (1_000, .stopping(component: "web")),
                (1_010, .exited(pid: 500, signal: nil, status: 0)),
                (1_020, F.scan(F.reparented(F.nWorker1, to: 1), F.gMaster, F.gWorker1)),
                (1_050, F.scan(F.gMaster)),
                (20_000, .tick),
            ],
            expected: [
                F.e(0, .spawned(ppid: 50), "app", .master, 100),
                F.e(0, .spawned(ppid: 100), "app", .worker, 101),
                F.e(0, .spawned(ppid: 50), "web", .front, 500),
                F.e(0, .spawned(ppid: 500), "web", .worker, 501),
                F.e(1_010, .exited(signal: nil, status: 0), "web", .front, 500),
                F.e(1_050, F.vanished, "app", .worker, 101),
                F.e(1_050, F.vanished, "web", .worker, 501),
                F.e(11_050, .down, "app", .worker, 101),
            ]),
        Scenario(
            name: "a restart in place: the old session's exits are expected, the new root's death is a failure again",
            steps: [
                (0, F.scan(F.nMaster, F.nWorker1)),
                (1_000, .stopping(component: "web")),
                (1_010, .exited(pid: 501, signal: nil, status: 0)),
                (1_020, .exited(pid: 500, signal: nil, status: 0)),
                (1_030, F.scan()),
                (1_300, .restarted(component: "web")),
                (
                    1_310,
                    F.scan(
                        F.p(600, parent: F.stacktop, start: 6_000, "web", .front, depth: 0, "nginx: master process"),
                        F.p(601, parent: 600, start: 6_010, "web", .worker, depth: 1, "nginx: worker process"))
                ),
                (2_000, .exited(pid: 600, signal: 9, status: nil)),
                (20_000, .tick),
            ],
            expected: [
                F.e(0, .spawned(ppid: F.stacktop), "web", .front, 500),
                F.e(0, .spawned(ppid: 500), "web", .worker, 501),
                F.e(1_010, .exited(signal: nil, status: 0), "web", .worker, 501),
                F.e(1_020, .exited(signal: nil, status: 0), "web", .front, 500),
                F.e(1_310, .spawned(ppid: F.stacktop), "web", .front, 600),
                F.e(1_310, .spawned(ppid: 600), "web", .worker, 601),
                F.e(2_000, .exited(signal: 9, status: nil), "web", .front, 600),
                F.e(2_000, .down, "web", .front, 600),
            ]),
        Scenario(
            name: "one exit seen by pidfd twice and then by scans (zombie first) is one exit",
            steps: [
                (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (1_000, .exited(pid: 101, signal: 9, status: nil)),
                (1_001, .exited(pid: 101, signal: 9, status: nil)),
                (1_005, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (1_010, F.scan(F.gMaster, F.gWorker2)),
                (1_020, F.scan(F.gMaster, F.gWorker2, F.p(103, parent: 100, start: 1_200, "app", .worker, depth: 1))),
            ],
            expected: gunicornSpawned + [
                F.e(1_000, .exited(signal: 9, status: nil), "app", .worker, 101),
                F.e(1_020, .spawned(ppid: 100), "app", .worker, 103),
                F.e(1_020, .replaced(oldPid: 101, newPid: 103, gapMs: 20), "app", .worker, 103),
            ]),
        Scenario(
            name: "pid reuse: same pid, another start time, is a new process",
            steps: [
                (0, F.scan(F.gMaster, F.gWorker1, F.gWorker2)),
                (2_000, F.scan(F.gMaster, F.p(101, parent: 100, start: 1_700, "app", .worker, depth: 1), F.gWorker2)),
            ],
            expected: gunicornSpawned + [
                F.e(2_000, F.vanished, "app", .worker, 101),
                F.e(2_000, .spawned(ppid: 100), "app", .worker, 101),
                F.e(2_000, .replaced(oldPid: 101, newPid: 101, gapMs: 0), "app", .worker, 101),
            ]),
        Scenario(
            name: "an exit of a pid never seen is ignored",
            steps: [(0, .exited(pid: 999, signal: 9, status: nil))],
            expected: []),
    ]

    func testScenarios() {
        for scenario in Self.scenarios {
            let (_, events) = F.run(scenario.steps)
            XCTAssertEqual(events.count, scenario.expected.count, scenario.name)
            for (i, (got, want)) in zip(events, scenario.expected).enumerated() {
                XCTAssertEqual(got, want, "\(scenario.name): event \(i)\n got \(got.jsonLine)\nwant \(want.jsonLine)")
            }
        }
    }

    func testCrashLoopIsReportedOnceAfterFiveExitsInTenSeconds() {
        var steps: [(Int, Observation)] = [(0, F.scan(F.gMaster, F.gWorker1))]
        var expected: [StackEvent] = [
            F.e(0, .spawned(ppid: 50), "app", .master, 100),
            F.e(0, .spawned(ppid: 100), "app", .worker, 101),
        ]
        for k in 1...7 {
            let old = Int32(100 + k), new = Int32(101 + k)
            steps.append((k * 1_000, .exited(pid: old, signal: nil, status: 3)))
            steps.append(
                (
                    k * 1_000 + 10,
                    F.scan(F.gMaster, F.p(new, parent: 100, start: UInt64(1_010 + k), "app", .worker, depth: 1))
                ))
            expected.append(F.e(k * 1_000, .exited(signal: nil, status: 3), "app", .worker, old))
            if k == 5 {
                expected.append(F.e(5_000, .crashLooping(exits: 5, windowMs: 10_000), "app", .worker, old))
            }
            expected.append(F.e(k * 1_000 + 10, .spawned(ppid: 100), "app", .worker, new))
            expected.append(F.e(k * 1_000 + 10, .replaced(oldPid: old, newPid: new, gapMs: 10), "app", .worker, new))
        }
        let (observer, events) = F.run(steps)
        XCTAssertEqual(events, expected)
        XCTAssertEqual(observer.component("app")?.slots.first { $0.role == .worker }?.phase, .crashLooping)
        XCTAssertEqual(observer.component("app")?.slots.first { $0.role == .worker }?.restarts, 7)
    }

    func testCrashLoopNeedsTheExitsWithinTheWindow() {
        // Five exits 3 s apart never have five within 10 s: no crash loop.
        var steps: [(Int, Observation)] = [(0, F.scan(F.gMaster, F.gWorker1))]
        for k in 1...5 {
            steps.append((k * 3_000, .exited(pid: Int32(100 + k), signal: 9, status: nil)))
            steps.append(
                (
                    k * 3_000 + 10,
                    F.scan(
                        F.gMaster, F.p(Int32(101 + k), parent: 100, start: UInt64(1_010 + k), "app", .worker, depth: 1))
                ))
        }
        let (_, events) = F.run(steps)
        XCTAssertFalse(events.contains { $0.typeName == "crash_looping" })
        XCTAssertEqual(events.filter { $0.typeName == "replaced" }.count, 5)
    }

    func testCrashLoopThresholdIsConfigurable() {
        let settings = ObserverSettings(crashLoopExits: 2, crashLoopWindowMs: 1_000)
        let (_, events) = F.run(
            [
                (0, F.scan(F.gMaster, F.gWorker1)),
                (100, .exited(pid: 101, signal: 9, status: nil)),
                (110, F.scan(F.gMaster, F.p(102, parent: 100, start: 1_050, "app", .worker, depth: 1))),
                (300, .exited(pid: 102, signal: 9, status: nil)),
            ], settings: settings)
        XCTAssertEqual(events.last, F.e(300, .crashLooping(exits: 2, windowMs: 1_000), "app", .worker, 102))
    }
}
