import StackRecipes
@testable import Supervision

/// Builders that keep the observer's scenario tables short.
enum Fixture {
    /// stacktop's own pid in the scenarios: the untracked parent of every launched root.
    static let stacktop: Int32 = 50

    static func p(_ pid: Int32, parent ppid: Int32, start: UInt64, _ component: String, _ role: ProcessRole,
                  depth: Int, _ cmd: String = "") -> ObservedProcess {
        ObservedProcess(pid: pid, ppid: ppid, startTime: start, component: component, role: role,
                        depth: depth, commandLine: cmd)
    }

    static func e(_ t: Int, _ kind: StackEvent.Kind, _ component: String, _ role: ProcessRole, _ pid: Int32) -> StackEvent {
        StackEvent(tMs: t, kind, component: component, role: role, pid: pid)
    }

    static func scan(_ processes: ObservedProcess...) -> Observation {
        .scanned(ProcessSnapshot(processes))
    }

    /// Feeds `steps` in order; returns the observer and every event, in order.
    static func run(_ steps: [(Int, Observation)], settings: ObserverSettings = ObserverSettings())
        -> (StackObserver, [StackEvent]) {
        var observer = StackObserver(settings: settings)
        var events: [StackEvent] = []
        for (at, input) in steps { events += observer.handle(input, at: at) }
        return (observer, events)
    }

    // A gunicorn master with two workers, launched by stacktop.
    static let gMaster = p(100, parent: stacktop, start: 1_000, "app", .master, depth: 0, "gunicorn app:app")
    static let gWorker1 = p(101, parent: 100, start: 1_010, "app", .worker, depth: 1, "gunicorn app:app")
    static let gWorker2 = p(102, parent: 100, start: 1_011, "app", .worker, depth: 1, "gunicorn app:app")
}
