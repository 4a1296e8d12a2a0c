import StackModel
import StackRecipes

/// Resolves the deploy drills: reload, restart, deploy, scale (see `Operations`).
extension DrillPlanner {
    func operate(door: Component) -> Result<DrillPlan, DrillRefusal> {
        guard let op = scenario.action.operation else { return refuse("\(scenario.action.name) is no operation") }
        // Without a launch (drill --list, the menu) only whether it applies is read, not paths.
        let context =
            self.context ?? LaunchContext(runDir: "/nonexistent/stacktop-run", ports: [:], tools: Toolchain(), venv: "")
        let front = scenario.action == .reloadFront
        let c: Component
        switch target(default: front ? door : appServer(door)) {
        case let .success(found): c = found
        case let .failure(refusal): return .failure(refusal)
        }
        if front && c.kind.role != .front {
            return refuse(
                scenario.target == nil
                    ? "the front door of \(topology.name) is the app server '\(c.name)' (\(c.kind.rawValue)): there is no front server to reload; use reload-app"
                    : "'\(c.name)' is \(c.kind.rawValue), not a front server")
        }
        if !front && c.kind.role != .app { return refuse("'\(c.name)' is \(c.kind.rawValue), not an app server") }
        let deploy = scenario.action == .deploy
        if deploy && !topology.app.isDemo {
            return refuse("needs the demo app's version file, and \(topology.name) serves \(topology.app.module)")
        }
        var recycle: RecycleSetup?
        if scenario.action == .recycle {
            if let why = recyclePoolRefusal(door: door) { return refuse(why) }
            switch Recycling.setup(component: c.name, topology: topology) {
            case let .success(setup): recycle = setup
            case let .failure(why): return refuse(why.description)
            }
        }
        let recipe = Operations.recipe(op, component: c.name, topology: topology, context: context)
        guard recipe.isSupported else { return refuse(recipe.how) }
        let live = liveWorkers(of: c.name)
        if op == .removeWorker && live.count <= 1 {
            return refuse(
                "\(c.name) has \(live.count) live worker\(live.count == 1 ? "" : "s"): removing one would leave none")
        }
        var watched = [c.name]
        var rootPids: [Int32] = []
        var role: ProcessRole? = nil
        var slots: [Int] = []
        if case let .restartInPlace(host) = recipe.method, host != c.name {
            watched.insert(host, at: 0)  // the host goes and comes with what it starts
        }
        if case let .signalRoot(component, _) = recipe.method {
            guard let root = root(of: component) else {
                return .failure(refusal("\(component) has no live root process (is it down?)"))
            }
            if component != c.name { watched.insert(component, at: 0) }
            rootPids = [root.pid]
            role = root.role
            slots = [root.slot]
        }
        var detail = (deploy ? "write the demo app's next version, then " : "") + recipe.how
        if let recycle {
            detail = "turn on recycling (\(recycle.how)), then " + recipe.how
            let others = poolApps(of: door).map(\.name).filter { $0 != c.name }
            if !others.isEmpty {
                detail += "; the pool's other members (\(others.joined(separator: ", "))) are not recycled"
            }
        }
        if op == .addWorker || op == .removeWorker {
            detail += "; \(c.name) has \(live.count) live worker\(live.count == 1 ? "" : "s") now"
        }
        var component = rootPids.isEmpty ? c.name : (watched.first ?? c.name)
        if case let .restartInPlace(host) = recipe.method { component = host }
        var also: [DrillPlan.Operated] = []
        if deploy && scenario.target == nil {
            switch poolMembers(of: door, besides: c, op: op, context: context, watched: &watched) {
            case let .success(members): also = members
            case let .failure(refusal): return .failure(refusal)
            }
            for m in also { detail += "; and \(m.recipe.component): \(m.recipe.how)" }
        }
        var plan = DrillPlan(
            scenario: scenario, topology: topology.name, component: component, role: role,
            slots: slots, step: .operate(recipe, pids: rootPids, bumpVersion: deploy),
            watched: watched, frontDoor: door.name, detail: detail)
        plan.alsoOperate = also
        plan.recycle = recycle
        return .success(plan)
    }

    /// The app servers of the front server's pool (none when the front door is an app server).
    private func poolApps(of door: Component) -> [Component] {
        guard door.kind.role == .front else { return [] }
        return door.upstream.compactMap(topology.component).filter { $0.kind.role == .app }
    }

    /// recycle behind a pool of several app servers is refused unless the scenario names one:
    /// the report measures one server's recycling (its config, its own log line, its workers'
    /// replacements), and recycling only the first member would leave the others unrecycled
    /// while their requests count in the same windows.
    private func recyclePoolRefusal(door: Component) -> String? {
        let members = poolApps(of: door)
        guard scenario.target == nil, members.count > 1 else { return nil }
        let names = members.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", ")
        return
            "\(door.name) balances a pool of \(members.count) app servers (\(names)), and recycle measures one server's recycling (its config, its log line, its workers): recycling only the first would leave the others unrecycled in the same windows; name one in a scenario file (action: recycle, target: \(members[0].name))"
    }

    /// A deploy behind a front server with a pool reloads every member, not only the first (else
    /// the others go on answering with the old version): their operations, each refused with
    /// the member's reason when it has none. Their components join `watched`.
    private func poolMembers(
        of door: Component, besides first: Component, op: ComponentOperation, context: LaunchContext,
        watched: inout [String]
    ) -> Result<[DrillPlan.Operated], DrillRefusal> {
        guard door.kind.role == .front else { return .success([]) }
        var members: [DrillPlan.Operated] = []
        for name in door.upstream where name != first.name {
            guard let m = topology.component(name), m.kind.role == .app else { continue }
            let recipe = Operations.recipe(op, component: m.name, topology: topology, context: context)
            guard recipe.isSupported else {
                return .failure(
                    refusal("a deploy reloads every member of \(door.name)'s pool, and \(m.name) cannot: \(recipe.how)")
                )
            }
            var pids: [Int32] = []
            if case let .signalRoot(component, _) = recipe.method {
                guard let root = root(of: component) else {
                    return .failure(refusal("\(component) has no live root process (is it down?)"))
                }
                pids = [root.pid]
                if !watched.contains(component) { watched.append(component) }
            }
            if !watched.contains(m.name) { watched.append(m.name) }
            members.append(DrillPlan.Operated(recipe: recipe, pids: pids))
        }
        return .success(members)
    }
}
