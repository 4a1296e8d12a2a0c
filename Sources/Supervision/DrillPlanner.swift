import StackModel
import StackRecipes

/// Resolves one scenario against a topology and a snapshot of its components (see `DrillPlan`).
struct DrillPlanner {
    let scenario: DrillScenario
    let topology: Topology
    let views: [ComponentView]
    let context: LaunchContext?

    init(scenario: DrillScenario, topology: Topology, views: [ComponentView], context: LaunchContext? = nil) {
        self.scenario = scenario
        self.topology = topology
        self.views = views
        self.context = context
    }

    func resolve() -> Result<DrillPlan, DrillRefusal> {
        guard let door = topology.frontDoor else { return refuse("\(topology.name) has no front door") }
        switch scenario.action {
        case let .killWorker(signal):
            return workers(limit: 1, door: door) { c, ps in
                (
                    .signal(signal, pids: ps.map(\.pid)),
                    "\(DrillSignal.name(signal)) " + Self.oneWorker(c) + recovery(of: c, single: true)
                )
            }
        case let .killAllWorkers(signal):
            return workers(limit: nil, door: door) { c, ps in
                let what = ps.count == 1 ? Self.oneWorker(c) : "all \(ps.count) \(c.kind.rawValue) workers of \(c.name)"
                return (
                    .signal(signal, pids: ps.map(\.pid)),
                    "\(DrillSignal.name(signal)) " + what + recovery(of: c, single: true)
                )
            }
        case let .stopWorker(seconds):
            return workers(limit: 1, door: door) { c, ps in
                (
                    .stop(pids: ps.map(\.pid), seconds: seconds),
                    "SIGSTOP " + Self.oneWorker(c) + ", SIGCONT after \(Self.seconds(seconds))"
                )
            }
        case let .killMaster(signal):
            return master(signal: signal, door: door)
        case let .killFront(signal):
            return front(signal: signal, door: door)
        case let .killSupervisor(signal):
            return supervisor(signal: signal, door: door)
        case let .crashInside(requests):
            return crashInside(requests: requests, door: door)
        case .crashLoop:
            return crashLoop(door: door)
        case .reloadApp, .reloadFront, .restartApp, .deploy, .scaleUp, .scaleDown, .recycle:
            return operate(door: door)
        case .slowRequestTimeout:
            return slowRequest(door: door)
        }
    }

    // MARK: - Actions

    /// One worker (`limit` 1) or all of them, of the target (default: the app server); `step`
    /// says what to do to the chosen processes.
    private func workers(
        limit: Int?, door: Component,
        step: (Component, [ProcessView]) -> (DrillPlan.Step, String)
    ) -> Result<DrillPlan, DrillRefusal> {
        let c: Component
        switch target(default: appServer(door)) {
        case let .success(found): c = found
        case let .failure(refusal): return .failure(refusal)
        }
        let live = liveWorkers(of: c.name)
        guard !live.isEmpty else { return refuse(noLiveWorker(c)) }
        let chosen = limit.map { Array(live.prefix($0)) } ?? live
        let (plannedStep, detail) = step(c, chosen)
        return .success(
            plan(
                c.name, role: .worker, processes: chosen, step: plannedStep, watched: [c.name],
                door: door, detail: detail))
    }

    private func master(signal: Int32, door: Component) -> Result<DrillPlan, DrillRefusal> {
        let c: Component
        switch target(default: appServer(door)) {
        case let .success(found): c = found
        case let .failure(refusal): return .failure(refusal)
        }
        if let hostName = c.inside, let host = topology.component(hostName) {
            guard let root = root(of: host.name) else {
                return refuse("\(host.name) (\(host.kind.rawValue)) has no live parent process")
            }
            let detail =
                "\(DrillSignal.name(signal)) \(host.kind.rawValue)'s parent process: \(c.kind.rawValue) has no master of its own, its processes are children of \(host.name) (\(host.kind.rawValue)), so this takes all of \(host.kind.rawValue) down"
                + recovery(of: host)
            return .success(
                plan(
                    host.name, role: root.role, processes: [root], step: .signal(signal, pids: [root.pid]),
                    watched: [host.name, c.name], door: door, detail: detail))
        }
        guard let root = root(of: c.name) else { return refuse("\(c.name) has no live root process (is it down?)") }
        guard root.role != .worker else {
            return refuse("\(c.name) (\(c.kind.rawValue)) runs as one process with no master: use kill-worker")
        }
        let detail = "\(DrillSignal.name(signal)) the \(c.kind.rawValue) master of \(c.name)" + recovery(of: c)
        return .success(
            plan(
                c.name, role: root.role, processes: [root], step: .signal(signal, pids: [root.pid]),
                watched: [c.name], door: door, detail: detail))
    }

    private func front(signal: Int32, door: Component) -> Result<DrillPlan, DrillRefusal> {
        let f: Component
        switch target(default: door) {
        case let .success(found): f = found
        case let .failure(refusal): return .failure(refusal)
        }
        guard f.kind.role == .front else {
            if scenario.target == nil {
                return refuse(
                    "the front door of \(topology.name) is the app server '\(f.name)' (\(f.kind.rawValue)): there is no front server to kill; use kill-master"
                )
            }
            return refuse("'\(f.name)' is \(f.kind.rawValue), not a front server")
        }
        guard let root = root(of: f.name) else { return refuse("\(f.name) has no live root process (is it down?)") }
        let hosted = topology.components.filter { $0.inside == f.name }.map(\.name)
        var detail = "\(DrillSignal.name(signal)) the \(f.kind.rawValue) master of \(f.name)"
        if !hosted.isEmpty { detail += ", parent of \(hosted.joined(separator: ", "))" }
        return .success(
            plan(
                f.name, role: root.role, processes: [root], step: .signal(signal, pids: [root.pid]),
                watched: [f.name] + hosted, door: door, detail: detail + recovery(of: f)))
    }

    private func supervisor(signal: Int32, door: Component) -> Result<DrillPlan, DrillRefusal> {
        let supervisors = topology.components.filter { $0.kind == .supervisord }
        guard let first = supervisors.first else { return refuse("\(topology.name) has no supervisord") }
        let s: Component
        switch target(default: first) {
        case let .success(found): s = found
        case let .failure(refusal): return .failure(refusal)
        }
        guard s.kind == .supervisord else { return refuse("'\(s.name)' is \(s.kind.rawValue), not supervisord") }
        guard let root = root(of: s.name) else { return refuse("\(s.name) has no live supervisord process") }
        let detail =
            "\(DrillSignal.name(signal)) supervisord (\(s.name)); \(s.supervises.joined(separator: ", ")) keep running without a supervisor and nothing restarts supervisord"
        return .success(
            plan(
                s.name, role: root.role, processes: [root], step: .signal(signal, pids: [root.pid]),
                watched: [s.name], door: door, detail: detail))
    }

    private func crashInside(requests: Int, door: Component) -> Result<DrillPlan, DrillRefusal> {
        guard topology.app.isDemo else {
            return refuse("needs the demo app's /crash route, and \(topology.name) serves \(topology.app.module)")
        }
        let c: Component
        switch target(default: appServer(door)) {
        case let .success(found): c = found
        case let .failure(refusal): return .failure(refusal)
        }
        guard c.kind.role == .app else { return refuse("'\(c.name)' is \(c.kind.rawValue), not an app server") }
        let detail =
            "GET /crash \(requests == 1 ? "once" : "\(requests) times") through \(door.name): the \(c.kind.rawValue) worker that takes it kills itself"
            + recovery(of: c)
        return .success(
            DrillPlan(
                scenario: scenario, topology: topology.name, component: c.name, role: nil, slots: [],
                step: .request(path: "/crash", count: requests), watched: [c.name],
                frontDoor: door.name, detail: detail))
    }

    private func crashLoop(door: Component) -> Result<DrillPlan, DrillRefusal> {
        guard topology.app.isDemo else {
            return refuse("needs the demo app's import switch, and \(topology.name) serves \(topology.app.module)")
        }
        let c: Component
        switch target(default: appServer(door)) {
        case let .success(found): c = found
        case let .failure(refusal): return .failure(refusal)
        }
        guard c.kind.role == .app else { return refuse("'\(c.name)' is \(c.kind.rawValue), not an app server") }
        let kill = DrillSignal.kill
        if let sup = topology.supervisor(of: c.name) {
            guard let root = root(of: c.name) else { return refuse("\(c.name) has no live root process (is it down?)") }
            let what =
                root.role == .master ? "the \(c.kind.rawValue) master of \(c.name)" : "\(c.kind.rawValue) (\(c.name))"
            let detail =
                "break the app's import, then SIGKILL \(what): \(sup.name) (supervisord) restarts it and every start dies importing the app"
            return .success(
                plan(
                    c.name, role: root.role, processes: [root], step: .failImport(signal: kill, pids: [root.pid]),
                    watched: [c.name], door: door, detail: detail))
        }
        let respawner: String
        if let host = c.inside, c.kind == .modWSGI {
            respawner =
                "\(host) (apache) respawns the daemons, and each fails to import the app at its first request (500s)"
        } else if let host = c.inside {
            respawner = "\(host) respawns them and each new one fails to import the app"
        } else if c.kind == .gunicorn {
            respawner =
                "gunicorn's master respawns them, each new worker fails to import the app and the master gives up"
        } else if c.kind == .uwsgi || (c.kind == .flup && c.processModel != .threaded) {
            return refuse(
                "\(c.kind.rawValue) imports the app once in its master and forks workers from it, and no supervisor restarts the master: nothing would import the broken app again"
            )
        } else {
            return refuse(
                "nothing restarts \(c.name) (\(c.kind.rawValue)), so the broken import would never be tried; use kill-worker"
            )
        }
        let live = liveWorkers(of: c.name)
        guard !live.isEmpty else { return refuse(noLiveWorker(c)) }
        return .success(
            plan(
                c.name, role: .worker, processes: live, step: .failImport(signal: kill, pids: live.map(\.pid)),
                watched: [c.name], door: door,
                detail: "break the app's import, then SIGKILL all \(live.count) workers of \(c.name): \(respawner)"))
    }
}

extension DrillPlanner {
    // MARK: - Helpers

    /// The app server: the front door when it is one, else the first member of its pool.
    func appServer(_ door: Component) -> Component {
        if door.kind.role == .app { return door }
        return door.upstream.first.flatMap(topology.component) ?? door
    }

    /// The scenario's target component, or `fallback` when it names none.
    func target(default fallback: Component) -> Result<Component, DrillRefusal> {
        guard let name = scenario.target else { return .success(fallback) }
        if let c = topology.component(name) { return .success(c) }
        let names = topology.components.map(\.name)
        return .failure(
            refusal("\(topology.name) has no component '\(name)'\(Suggestions.hint(for: name, among: names))"))
    }

    /// Live, non-orphaned workers of a component, by slot then pid.
    func liveWorkers(of name: String) -> [ProcessView] {
        guard let view = views.first(where: { $0.name == name }) else { return [] }
        return view.processes.filter { $0.role == .worker && !$0.orphaned && Self.isLive($0.phase) }
            .sorted { ($0.slot, $0.pid) < ($1.slot, $1.pid) }
    }

    /// The component's live, non-orphaned root process: a master or front before a single
    /// worker process, then the oldest.
    func root(of name: String) -> ProcessView? {
        guard let view = views.first(where: { $0.name == name }) else { return nil }
        return view.processes.filter { $0.depth == 0 && !$0.orphaned }
            .min {
                ($0.role == .worker ? 1 : 0, $0.firstSeenMs, $0.pid) < (
                    $1.role == .worker ? 1 : 0, $1.firstSeenMs, $1.pid
                )
            }
    }

    static func isLive(_ phase: SlotPhase) -> Bool {
        phase == .starting || phase == .restarting || phase == .up
    }

    func noLiveWorker(_ c: Component) -> String {
        guard let view = views.first(where: { $0.name == c.name }) else { return "\(c.name) has no live process" }
        return view.isDown ? "\(c.name) is down: no live worker to act on" : "\(c.name) has no live worker to act on"
    }

    /// "; SUPERVISOR (supervisord) restarts …" when `c` is supervised, for the plan's detail;
    /// with `single`, only when the kill takes the whole component (a single-process server).
    func recovery(of c: Component, single: Bool = false) -> String {
        if single && c.kind.hasWorkers { return "" }
        if let sup = topology.supervisor(of: c.name) {
            return "; \(sup.name) (supervisord) restarts the component if it dies"
        }
        return single ? "; nothing restarts it" : ""
    }

    /// "one gunicorn worker of app" / "werkzeug (app): it runs as one process, …".
    static func oneWorker(_ c: Component) -> String {
        c.kind.hasWorkers
            ? "one \(c.kind.rawValue) worker of \(c.name)"
            : "\(c.kind.rawValue) (\(c.name)): it runs as one process, so its only worker is the server itself"
    }

    func plan(
        _ component: String, role: ProcessRole, processes: [ProcessView], step: DrillPlan.Step,
        watched: [String], door: Component, detail: String
    ) -> DrillPlan {
        DrillPlan(
            scenario: scenario, topology: topology.name, component: component, role: role,
            slots: processes.map(\.slot), step: step, watched: watched, frontDoor: door.name, detail: detail)
    }

    func refusal(_ reason: String) -> DrillRefusal {
        DrillRefusal(scenario: scenario.name, topology: topology.name, reason: reason)
    }

    func refuse(_ reason: String) -> Result<DrillPlan, DrillRefusal> { .failure(refusal(reason)) }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
