import Foundation
import StackFiles
import StackModel
import StackRecipes
import Supervision
import Synchronization
import XCTest
@testable import Runtime
import TestSupport

/// Which component, depth and role each process of a stack gets, from process tables written
/// by hand (as ps shows these stacks) and the plans of the real seed topologies.
final class ComponentAssignerTests: XCTestCase {
    /// One expected label: pid → component, role, depth; nil component = left out.
    typealias Expect = (pid: Int32, component: String?, role: ProcessRole?, depth: Int?)

    struct Case {
        let name: String
        let topology: String
        /// Spawned component → its session (its root's pid).
        let sessions: [String: Int32]
        /// pid, ppid, sid, comm, command line.
        let processes: [(Int32, Int32, Int32, String, String)]
        let expected: [Expect]
    }

    static let run = "/R"
    static let nginx =
        "nginx: master process /usr/sbin/nginx -e /R/logs/front.error.log -p /R/ -c /R/conf/front/nginx.conf"
    static let gunicornSup = "/V/bin/python /V/bin/gunicorn --config /R/conf/app/gunicorn.conf.py"
    static let supervisord = "/usr/bin/python3 /usr/bin/supervisord -n -c /R/conf/supervisor/supervisord.conf"
    static let apache = "/usr/sbin/apache2 -f /R/conf/front/httpd.conf -DFOREGROUND"
    static let flupSingle = "/V/bin/python /R/scripts/flup_serve.py --name app --mode single --inherit -- /APP app:app"

    static let cases: [Case] = [
        Case(
            name: "supervised nginx and gunicorn: programs claimed, their children follow",
            topology: "nginx-gunicorn-supervisord", sessions: ["supervisor": 100],
            processes: [
                (100, 50, 100, "supervisord", supervisord),
                (110, 100, 100, "gunicorn", gunicornSup),
                (111, 110, 100, "gunicorn", gunicornSup),
                (112, 110, 100, "gunicorn", gunicornSup),
                (120, 100, 100, "nginx", nginx),
                (121, 120, 100, "nginx", "nginx: worker process"),
                (122, 120, 100, "nginx", "nginx: cache manager process"),
                (900, 1, 900, "bash", "bash"),  // another session: not the stack's
            ],
            expected: [
                (100, "supervisor", .supervisor, 0), (110, "app", .master, 0), (111, "app", .worker, 1),
                (112, "app", .worker, 1), (120, "front", .front, 0), (121, "front", .worker, 1),
                (122, "front", .helper, 1), (900, nil, nil, nil),
            ]),
        Case(
            name: "supervised gunicorn renamed by setproctitle: its title claims it, not supervisord",
            topology: "nginx-gunicorn-supervisord", sessions: ["supervisor": 100],
            processes: [
                (100, 50, 100, "supervisord", supervisord),
                (110, 100, 100, "gunicorn", "gunicorn: master [app:app]"),
                (111, 110, 100, "gunicorn", "gunicorn: worker [app:app]"),
                (112, 110, 100, "gunicorn", "gunicorn: worker [app:app]"),
                (120, 100, 100, "nginx", nginx),
                (121, 120, 100, "nginx", "nginx: worker process"),
            ],
            expected: [
                (100, "supervisor", .supervisor, 0), (110, "app", .master, 0), (111, "app", .worker, 1),
                (112, "app", .worker, 1), (120, "front", .front, 0), (121, "front", .worker, 1),
            ]),
        Case(
            name: "mod_wsgi daemons in Apache's tree are the app's workers; MPM children stay Apache's",
            topology: "apache-mod-wsgi", sessions: ["front": 200],
            processes: [
                (200, 50, 200, "apache2", apache),
                (201, 200, 200, "apache2", "(wsgi:app)"),
                (202, 200, 200, "apache2", "(wsgi:app)"),
                (203, 200, 200, "apache2", apache),
            ],
            expected: [
                (200, "front", .front, 0), (201, "app", .worker, 0), (202, "app", .worker, 0),
                (203, "front", .worker, 1),
            ]),
        Case(
            name: "flup backends spawned by lighttpd belong to the app",
            topology: "lighttpd-flup", sessions: ["front": 300],
            processes: [
                (300, 50, 300, "lighttpd", "/usr/sbin/lighttpd -D -f /R/conf/front/lighttpd.conf"),
                (301, 300, 300, "python", flupSingle),
                (302, 300, 300, "python", flupSingle),
            ],
            expected: [(300, "front", .front, 0), (301, "app", .worker, 0), (302, "app", .worker, 0)]),
        Case(
            name: "a pool: each spawned app server is its own session; uWSGI's router is a helper",
            topology: "nginx-pool", sessions: ["gunicorn": 410, "uwsgi": 420, "front": 400],
            processes: [
                (400, 50, 400, "nginx", nginx),
                (401, 400, 400, "nginx", "nginx: worker process"),
                (410, 50, 410, "gunicorn", "/V/bin/python /V/bin/gunicorn --config /R/conf/gunicorn/gunicorn.conf.py"),
                (411, 410, 410, "gunicorn", "/V/bin/python /V/bin/gunicorn --config /R/conf/gunicorn/gunicorn.conf.py"),
                (420, 50, 420, "uwsgi-core", "[uwsgi] uWSGI master"),
                (421, 420, 420, "uwsgi-core", "[uwsgi] uWSGI worker 1"),
                (422, 420, 420, "uwsgi-core", "[uwsgi] uWSGI http 1"),
            ],
            expected: [
                (400, "front", .front, 0), (401, "front", .worker, 1), (410, "gunicorn", .master, 0),
                (411, "gunicorn", .worker, 1), (420, "uwsgi", .master, 0), (421, "uwsgi", .worker, 1),
                (422, "uwsgi", .helper, 1),
            ]),
    ]

    func testAssignment() throws {
        for c in Self.cases {
            let plan = try Self.plan(c.topology)
            let table = Self.table(c.processes)
            var assigner = ComponentAssigner(specs: plan.processes, sessions: c.sessions)
            // Settled: every process is older than the hold-back window.
            let labelled = assigner.label(
                table.snapshot().filter { assigner.sessions.contains($0.sid) },
                nowTicks: 10_000
            ) { r in (table.commandLine(of: r.pid)!, 0) }
            let byPid = Dictionary(uniqueKeysWithValues: labelled.map { ($0.pid, $0) })
            for e in c.expected {
                XCTAssertEqual(byPid[e.pid]?.component, e.component, "\(c.name): pid \(e.pid) component")
                XCTAssertEqual(byPid[e.pid]?.role, e.role, "\(c.name): pid \(e.pid) role")
                XCTAssertEqual(byPid[e.pid]?.depth, e.depth, "\(c.name): pid \(e.pid) depth")
            }
            XCTAssertEqual(labelled.count, c.expected.filter { $0.component != nil }.count, c.name)
        }
    }

    func testOrphansKeepTheirPlaceAfterTheirParentDies() throws {
        let plan = try Self.plan("nginx-gunicorn-supervisord")
        var assigner = ComponentAssigner(specs: plan.processes, sessions: ["supervisor": 100])
        let before = Self.table([
            (100, 50, 100, "supervisord", Self.supervisord), (120, 100, 100, "nginx", Self.nginx),
            (121, 120, 100, "nginx", "nginx: worker process"),
        ])
        _ = assigner.label(before.snapshot(), nowTicks: 10_000) { (before.commandLine(of: $0.pid)!, 0) }
        // The nginx master was SIGKILLed: its worker now hangs off init, and is not asked about again.
        let after = Self.table([
            (100, 50, 100, "supervisord", Self.supervisord), (121, 1, 100, "nginx", "nginx: worker process"),
        ])
        var asked: [Int32] = []
        let labelled = assigner.label(after.snapshot(), nowTicks: 20_000) { r in
            asked.append(r.pid)
            return (after.commandLine(of: r.pid)!, 0)
        }
        XCTAssertEqual(asked, [])
        let orphan = try XCTUnwrap(labelled.first { $0.pid == 121 })
        XCTAssertEqual(
            [orphan.component, orphan.role.rawValue, String(orphan.depth), String(orphan.ppid)],
            ["front", "worker", "1", "1"])
    }

    func testAForkOfAHostIsHeldUntilItExecsOrSettles() throws {
        let plan = try Self.plan("nginx-gunicorn-supervisord")
        var assigner = ComponentAssigner(specs: plan.processes, sessions: ["supervisor": 100])
        let t0: UInt64 = 131
        // supervisord forked to start gunicorn; the child has not exec'd yet.
        let forked = Self.table([
            (100, 50, 100, "supervisord", Self.supervisord), (130, 100, 100, "supervisord", Self.supervisord),
        ])
        let first = assigner.label(forked.snapshot(), nowTicks: t0) { (forked.commandLine(of: $0.pid)!, 0) }
        XCTAssertEqual(first.map(\.pid), [100])
        XCTAssertEqual(assigner.nextSettleTicks, 130 + assigner.settleTicks)
        // 20 ms later it is gunicorn: the app's new master, not a supervisord worker.
        let execd = Self.table([
            (100, 50, 100, "supervisord", Self.supervisord), (130, 100, 100, "gunicorn", Self.gunicornSup),
        ])
        let second = assigner.label(execd.snapshot(), nowTicks: t0 + 2) { (execd.commandLine(of: $0.pid)!, 0) }
        let master = try XCTUnwrap(second.first { $0.pid == 130 })
        XCTAssertEqual([master.component, master.role.rawValue, String(master.depth)], ["app", "master", "0"])
        XCTAssertNil(assigner.nextSettleTicks)
        // An Apache MPM child (never claimed) is placed under Apache once it settled.
        let apachePlan = try Self.plan("apache-mod-wsgi")
        var apache = ComponentAssigner(specs: apachePlan.processes, sessions: ["front": 200])
        let mpm = Self.table([(200, 50, 200, "apache2", Self.apache), (203, 200, 200, "apache2", Self.apache)])
        XCTAssertEqual(
            apache.label(mpm.snapshot(), nowTicks: t0) { (mpm.commandLine(of: $0.pid)!, 0) }.map(\.pid), [200])
        let settled = apache.label(mpm.snapshot(), nowTicks: 203 + apache.settleTicks) {
            (mpm.commandLine(of: $0.pid)!, 0)
        }
        XCTAssertEqual(
            settled.first { $0.pid == 203 }.map { "\($0.component) \($0.role) \($0.depth)" }, "front worker 1")
    }

    func testAFreshForkIsHeldUntilItNamesItself() throws {
        let plan = try Self.plan("uwsgi")
        var assigner = ComponentAssigner(specs: plan.processes, sessions: ["app": 500])
        let master = (Int32(500), Int32(50), Int32(500), "uwsgi-core", "[app] uWSGI master")
        // Just forked: the worker still carries the master's title.
        let forked = Self.table([master, (510, 500, 500, "uwsgi-core", "[app] uWSGI master")])
        XCTAssertEqual(
            assigner.label(forked.snapshot(), nowTicks: 511) { (forked.commandLine(of: $0.pid)!, 0) }.map(\.pid), [500])
        let named = Self.table([master, (510, 500, 500, "uwsgi-core", "[app] uWSGI worker 1")])
        let labelled = assigner.label(named.snapshot(), nowTicks: 512) { (named.commandLine(of: $0.pid)!, 0) }
        XCTAssertEqual(labelled.first { $0.pid == 510 }?.role, .worker)
        // One that never names itself is still held when settled (a busy machine can delay
        // the title), and a helper once `nameTicks` old.
        let odd = Self.table([master, (520, 500, 500, "uwsgi-core", "[app] uWSGI master")])
        XCTAssertNil(
            assigner.label(odd.snapshot(), nowTicks: 520 + assigner.settleTicks) {
                (odd.commandLine(of: $0.pid)!, 0)
            }.first { $0.pid == 520 })
        XCTAssertEqual(assigner.nextSettleTicks, 520 + assigner.nameTicks)
        XCTAssertEqual(
            assigner.label(odd.snapshot(), nowTicks: 520 + assigner.nameTicks) {
                (odd.commandLine(of: $0.pid)!, 0)
            }.first { $0.pid == 520 }?.role, .helper)
    }

    func testAYoungProcessThatRenamesItselfShowsItsNewTitle() throws {
        let plan = try Self.plan("gunicorn")
        var assigner = ComponentAssigner(specs: plan.processes, sessions: ["app": 600])
        let exec = Self.table([
            (600, 50, 600, "gunicorn", "/V/bin/python /V/bin/gunicorn --config /R/conf/app/gunicorn.conf.py")
        ])
        XCTAssertEqual(
            assigner.label(exec.snapshot(), nowTicks: 610) { (exec.commandLine(of: $0.pid)!, 0) }.first?.role, .master)
        // setproctitle renamed it 0.2 s after exec: the table shows the title, the role stays.
        let titled = Self.table([(600, 50, 600, "gunicorn", "gunicorn: master [app:app]")])
        let renamed = assigner.label(titled.snapshot(), nowTicks: 630) { (titled.commandLine(of: $0.pid)!, 0) }
        XCTAssertEqual(renamed.first.map { "\($0.commandLine) \($0.role)" }, "gunicorn: master [app:app] master")
        // Once it is `nameTicks` old its command line is not read again.
        var asked: [Int32] = []
        _ = assigner.label(exec.snapshot(), nowTicks: 600 + assigner.nameTicks) { r in
            asked.append(r.pid)
            return (exec.commandLine(of: r.pid)!, 0)
        }
        XCTAssertEqual(asked, [])
    }

    func testScannerLeavesOutZombiesAndOtherSessionsAndReadsCommandLinesOnce() throws {
        let plan = try Self.plan("nginx-gunicorn")
        var records = Self.table([
            (10, 1, 10, "gunicorn", "g"), (11, 10, 10, "gunicorn", "g"), (12, 10, 10, "gunicorn", "g"),
            (20, 1, 20, "nginx", Self.nginx), (30, 1, 30, "sh", "sh"),
        ]).records
        records[2].state = "Z"
        records[0].utimeTicks = 100
        let table = CountingTable(
            base: FakeProcessTable(records: records, commandLines: [10: "g", 11: "g", 12: "g", 20: "n", 30: "sh"]))
        var scanner = ProcessScanner(
            table: table, assigner: ComponentAssigner(specs: plan.processes, sessions: ["app": 10, "front": 20]))
        let scan = scanner.scan()
        XCTAssertEqual(scan.snapshot.processes.map(\.pid).sorted(), [10, 11, 20])
        XCTAssertEqual(scan.snapshot.processes.first { $0.pid == 20 }?.role, .front)
        _ = scanner.scan()
        XCTAssertEqual(table.commandLineReads.withLock { $0 }, 3, "command lines are read for new processes only")
        XCTAssertEqual(scanner.meter.usage[10]?.rssBytes, 0)
        XCTAssertNil(scanner.meter.usage[10]?.cpuPercent, "no CPU% before a second sample 0.5 s later")
    }

    // MARK: - Helpers

    /// The plan of a seed topology, rendered for run dir /R and venv /V.
    static func plan(_ name: String) throws -> Plan {
        let root = TestProject.root
        let topology = try TopologyLoader.load(
            path: root + "/topologies/\(name).yaml",
            demoAppDirectory: root + "/topologies/apps/demo")
        var ports: [String: Int] = [:]
        for (i, c) in topology.components.enumerated() { ports[c.name] = 8000 + i }
        let context = LaunchContext(runDir: run, ports: ports, tools: Toolchain(), venv: "/V", runningAsRoot: true)
        return try Recipes.plan(for: topology, context: context)
    }

    static func table(_ processes: [(Int32, Int32, Int32, String, String)]) -> FakeProcessTable {
        // Start times follow pids, as forks do.
        FakeProcessTable(
            records: processes.map { pid, ppid, sid, comm, _ in
                ProcessRecord(
                    pid: pid, ppid: ppid, pgid: sid, sid: sid, comm: comm, state: "S", startTimeTicks: UInt64(pid))
            }, commandLines: Dictionary(uniqueKeysWithValues: processes.map { ($0.0, $0.4) }))
    }
}

/// A process table that counts command-line reads.
final class CountingTable: ProcessTable {
    let base: FakeProcessTable
    let commandLineReads = Mutex(0)
    init(base: FakeProcessTable) { self.base = base }
    func pids() -> [Int32] { base.pids() }
    func record(of pid: Int32) -> ProcessRecord? { base.record(of: pid) }
    func commandLine(of pid: Int32) -> String? {
        commandLineReads.withLock { $0 += 1 }
        return base.commandLine(of: pid)
    }
    func uid(of pid: Int32) -> UInt32? { base.uid(of: pid) }
}
