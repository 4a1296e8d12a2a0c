import Foundation
import StackFiles
import StackModel
import StackRecipes
import XCTest
@testable import Supervision
import TestSupport

/// Stacks, topologies and a small simulator that runs the real `StackObserver` and feeds its
/// events and component views, with client requests, to a `DrillTracker` the way the runner does.
enum DrillFixture {
    typealias F = Fixture

    static let root = TestProject.root

    /// A seed topology from topologies/.
    static func topology(_ stem: String) throws -> Topology {
        try TopologyLoader.load(
            path: root + "/topologies/\(stem).yaml", demoAppDirectory: root + "/topologies/apps/demo")
    }

    static func scenario(_ name: String) -> DrillScenario {
        DrillScenario.builtIn.first { $0.name == name }!
    }

    // Launch processes start between ticks 9_990 and 10_000 and are all first seen at 0 ms, so
    // the tracker's ticks-to-clock offset is -100_000 ms (see `tick`).

    // nginx-gunicorn-supervisord: supervisord 400 runs the gunicorn master 401 (workers 402, 403)
    // and the nginx master 410 (workers 411, 412).
    static let sup = F.p(400, parent: F.stacktop, start: 9_990, "supervisor", .supervisor, depth: 0, "supervisord")
    static let gMaster = F.p(401, parent: 400, start: 9_992, "app", .master, depth: 0, "gunicorn")
    static let gWorker1 = F.p(402, parent: 401, start: 9_996, "app", .worker, depth: 1, "gunicorn")
    static let gWorker2 = F.p(403, parent: 401, start: 9_997, "app", .worker, depth: 1, "gunicorn")
    static let nMaster = F.p(410, parent: 400, start: 9_993, "front", .front, depth: 0, "nginx: master process")
    static let nWorker1 = F.p(411, parent: 410, start: 9_999, "front", .worker, depth: 1, "nginx: worker process")
    static let nWorker2 = F.p(412, parent: 410, start: 10_000, "front", .worker, depth: 1, "nginx: worker process")
    static let supervisedGunicorn = [sup, gMaster, gWorker1, gWorker2, nMaster, nWorker1, nWorker2]

    /// The /proc start time (clock ticks since boot) of a process started `ms` after launch:
    /// every stack here was launched at tick 10_000 (its last process started then, seen at 0).
    static func tick(_ ms: Int) -> UInt64 { UInt64(10_000 + ms / 10) }

    static func worker(_ pid: Int32, of parent: Int32, start: UInt64, _ component: String = "app") -> ObservedProcess {
        F.p(pid, parent: parent, start: start, component, .worker, depth: 1)
    }

    // nginx-gunicorn (no supervisor): gunicorn master 100 (workers 101, 102), nginx 110 (111, 112).
    static let master = F.p(100, parent: F.stacktop, start: 9_990, "app", .master, depth: 0, "gunicorn")
    static let worker1 = worker(101, of: 100, start: 9_995)
    static let worker2 = worker(102, of: 100, start: 9_996)
    static let nginx = F.p(110, parent: F.stacktop, start: 9_991, "front", .front, depth: 0, "nginx: master process")
    static let nginxW1 = worker(111, of: 110, start: 9_999, "front")
    static let nginxW2 = worker(112, of: 110, start: 10_000, "front")
    static let plainGunicorn = [master, worker1, worker2, nginx, nginxW1, nginxW2]

    // apache-mod-wsgi: Apache's parent 700 (front), MPM children 701, 702 (front workers), and
    // the mod_wsgi daemons 703, 704 (component app, roots claimed under Apache, role worker).
    static let apache = F.p(700, parent: F.stacktop, start: 9_990, "front", .front, depth: 0, "/usr/sbin/apache2")
    static let mpm1 = worker(701, of: 700, start: 9_995, "front")
    static let mpm2 = worker(702, of: 700, start: 9_996, "front")
    static let daemon1 = F.p(703, parent: 700, start: 9_999, "app", .worker, depth: 0, "wsgi-app")
    static let daemon2 = F.p(704, parent: 700, start: 10_000, "app", .worker, depth: 0, "wsgi-app")
    static let apacheStack = [apache, mpm1, mpm2, daemon1, daemon2]
}

/// Runs a drill on simulated inputs: a warm-up scan, the fault, then scans, exits and requests
/// in time order, with a component snapshot every 100 ms (as the runner sends them).
struct DrillSim {
    enum Step {
        case observe(Observation)
        case request(DrillRequest)
        /// SIGCONT went out (stop-worker).
        case cleared
    }

    var observer = StackObserver()
    var tracker: DrillTracker?
    var plan: DrillPlan?
    var events: [StackEvent] = []

    /// Launches `processes` at 0 and lets them settle (phase up) until `faultAt`, resolves the
    /// scenario there, injects, then plays `steps` (times in ms since launch) up to `until`.
    static func run(
        _ scenario: DrillScenario, on topology: Topology, processes: [ObservedProcess],
        faultAt: Int = 3_000, steps: [(Int, Step)], until: Int, deployVersion: Int? = nil
    ) throws -> DrillSim {
        var sim = DrillSim()
        sim.feed(.scanned(ProcessSnapshot(processes)), at: 0)
        sim.feed(.tick, at: faultAt - 1)
        let plan = try DrillPlan.resolve(scenario, topology: topology, components: sim.observer.components).get()
        sim.plan = plan
        sim.tracker = DrillTracker(plan: plan, topology: topology.name, loadRps: 20, before: sim.observer.components)
        if let deployVersion { sim.tracker?.deploying(version: deployVersion) }
        let ordered = steps.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
        // Requests of the warm-up reach the tracker before the fault, as the runner replays them.
        var next = 0
        while next < ordered.count, ordered[next].0 < faultAt {
            if case let .request(r) = ordered[next].1 { sim.tracker?.observe(r) }
            next += 1
        }
        sim.tracker?.faultInjected(atMs: faultAt, detail: plan.detail)
        // A signal or FIFO operation has ended as it went out (the runner says so at once).
        if let op = plan.operation, case .command = op.method {
        } else if plan.operation != nil {
            sim.tracker?.operationEnded(atMs: faultAt, output: nil, failed: false)
        }
        var t = faultAt
        while t <= until {
            while next < ordered.count, ordered[next].0 <= t {
                let (at, step) = ordered[next]
                switch step {
                case let .observe(o): sim.feed(o, at: at)
                case let .request(r): sim.tracker?.observe(r)
                case .cleared: sim.tracker?.faultCleared(atMs: at)
                }
                next += 1
            }
            if t % 100 == 0 { sim.feed(.tick, at: t) }
            t += 1
        }
        return sim
    }

    /// One observer input; its events and then a snapshot go to the tracker.
    mutating func feed(_ o: Observation, at t: Int) {
        let new = observer.handle(o, at: t)
        events += new
        for e in new { tracker?.observe(e) }
        tracker?.observe(components: observer.components, nowMs: t)
    }

    /// The report if one was made, else the forced end at `t`.
    func report(at t: Int) throws -> DrillReport {
        let tracker = try XCTUnwrap(self.tracker)
        return tracker.report ?? tracker.finish(nowMs: t)
    }
}

/// Builders of client request sequences.
enum Load {
    /// A request every `every` ms from `from` (inclusive) to `to` (exclusive), each ending
    /// `latency` ms after its scheduled time, answered as `answer(scheduled)` says (nil: none sent).
    static func requests(
        _ from: Int, _ to: Int, every: Int = 50, latency: Int = 5,
        path: String = "/", _ answer: (Int) -> Answer?
    ) -> [(Int, DrillSim.Step)] {
        stride(from: from, to: to, by: every).compactMap { s in
            guard let a = answer(s) else { return nil }
            let end = s + (a.latency ?? latency)
            return (
                end,
                .request(
                    DrillRequest(
                        tMs: end, scheduledMs: s, status: a.status, error: a.error,
                        workerPid: a.pid, path: a.path ?? path, appVersion: a.version))
            )
        }
    }

    /// How one request ends.
    struct Answer {
        var status: Int?
        var error: String?
        var pid: Int32?
        var latency: Int?
        var path: String?
        var version: Int32?

        static func ok(_ pid: Int32?) -> Answer { Answer(status: 200, pid: pid) }
        static func ok(_ pid: Int32?, version: Int32, latency: Int? = nil) -> Answer {
            Answer(status: 200, pid: pid, latency: latency, version: version)
        }
        static func status(_ s: Int) -> Answer { Answer(status: s) }
        static func error(_ e: String) -> Answer { Answer(error: e) }
    }

    /// Alternates between the pids, by scheduled slot.
    static func alternate(_ pids: [Int32], _ s: Int, every: Int = 50) -> Int32 {
        pids[(s / every) % pids.count]
    }
}
