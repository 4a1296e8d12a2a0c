import StackRecipes
@testable import Supervision

/// Builders that keep the observer's scenario tables short.
enum Fixture {
    /// stacktop's own pid in the scenarios: the untracked parent of every launched root.
    static let stacktop: Int32 = 50

    static func p(
        _ pid: Int32, parent ppid: Int32, start: UInt64, _ component: String, _ role: ProcessRole,
        depth: Int, _ cmd: String = ""
    ) -> ObservedProcess {
        ObservedProcess(
            pid: pid, ppid: ppid, startTime: start, component: component, role: role,
            depth: depth, commandLine: cmd)
    }

    static func e(_ t: Int, _ kind: StackEvent.Kind, _ component: String, _ role: ProcessRole, _ pid: Int32)
        -> StackEvent
    {
        StackEvent(tMs: t, kind, component: component, role: role, pid: pid)
    }

    /// The exit of a process that only vanished from a scan (no pidfd reported it).
    static let vanished = StackEvent.Kind.exited(
        signal: nil, status: nil,
        unknown: "it vanished from /proc between two scans, with no pidfd watching it")

    static func scan(_ processes: ObservedProcess...) -> Observation {
        .scanned(ProcessSnapshot(processes))
    }

    /// Feeds `steps` in order; returns the observer and every event, in order.
    static func run(_ steps: [(Int, Observation)], settings: ObserverSettings = ObserverSettings())
        -> (StackObserver, [StackEvent])
    {
        var observer = StackObserver(settings: settings)
        var events: [StackEvent] = []
        for (at, input) in steps { events += observer.handle(input, at: at) }
        return (observer, events)
    }

    // A gunicorn master with two workers, launched by stacktop.
    static let gMaster = p(100, parent: stacktop, start: 1_000, "app", .master, depth: 0, "gunicorn app:app")
    static let gWorker1 = p(101, parent: 100, start: 1_010, "app", .worker, depth: 1, "gunicorn app:app")
    static let gWorker2 = p(102, parent: 100, start: 1_011, "app", .worker, depth: 1, "gunicorn app:app")

    // uWSGI: a master, two workers and the http router (a helper).
    static let uMaster = p(200, parent: stacktop, start: 2_000, "app", .master, depth: 0, "uWSGI master")
    static let uWorker1 = p(201, parent: 200, start: 2_010, "app", .worker, depth: 1, "uWSGI worker 1")
    static let uWorker2 = p(202, parent: 200, start: 2_011, "app", .worker, depth: 1, "uWSGI worker 2")
    static let uRouter = p(203, parent: 200, start: 2_012, "app", .helper, depth: 1, "uWSGI http 1")
    static let uWorker3 = p(204, parent: 200, start: 2_400, "app", .worker, depth: 1, "uWSGI worker 1")
    static let uRouter2 = p(205, parent: 200, start: 2_430, "app", .helper, depth: 1, "uWSGI http 1")

    // supervisord running a gunicorn master with two workers.
    static let sup = p(400, parent: stacktop, start: 4_000, "supervisor", .supervisor, depth: 0, "supervisord")
    static let sMaster = p(401, parent: 400, start: 4_010, "app", .master, depth: 0, "gunicorn")
    static let sWorker1 = p(402, parent: 401, start: 4_020, "app", .worker, depth: 1, "gunicorn")
    static let sWorker2 = p(403, parent: 401, start: 4_021, "app", .worker, depth: 1, "gunicorn")

    // nginx: master (the front) with two workers.
    static let nMaster = p(500, parent: stacktop, start: 5_000, "web", .front, depth: 0, "nginx: master process")
    static let nWorker1 = p(501, parent: 500, start: 5_010, "web", .worker, depth: 1, "nginx: worker process")
    static let nWorker2 = p(502, parent: 500, start: 5_011, "web", .worker, depth: 1, "nginx: worker process")

    static func reparented(_ p: ObservedProcess, to ppid: Int32) -> ObservedProcess {
        var q = p
        q.ppid = ppid
        return q
    }
}
