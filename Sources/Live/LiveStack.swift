import Discovery
import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization
import Traffic

/// One live stack, for `up`, `attach` and the dashboard: either launched (load the topology,
/// prepare the run dir and ports, plan, start the reaper, launch, watch; stop in the right
/// order) or attached (a discovered deploy: watch it, and on close only stop watching).
///
/// Which of the two it is is `control`, a value every caller receives: only its `launched` case
/// holds the launcher and its stopper, so nothing can stop an attached deploy. After the
/// launch or the discovery both run the same watcher, flow monitor and dashboard code.
///
/// Events (launch or discovery, then the watcher's) go to one sink, in order; `stopped`
/// (launched) or `detached` (attached) is always last.
public final class LiveStack: Sendable {
    /// Where the stack came from, and so what closing it does.
    public enum Control: Sendable {
        /// stacktop launched it and stops it: the only case that can.
        case launched(Prepared, StackLauncher, ReaperClient)
        /// stacktop found it running: watch, detach, never stop.
        case attached(DiscoveredDeploy)
    }

    /// How `close` ended.
    public enum Ending: Sendable, Equatable {
        case stopped(StackStopper.Report)
        /// Stopped watching; the deploy runs on untouched.
        case detached

        /// The stop's report (nil after a detach).
        public var report: StackStopper.Report? {
            if case let .stopped(r) = self { return r }
            return nil
        }
    }

    /// A topology loaded and planned, not yet launched.
    public struct Prepared: Sendable {
        public var source: TopologySource
        public var context: LaunchContext
        public var plan: Plan
        /// Server kind by component name, for human lines.
        public var kinds: [String: String] {
            Dictionary(plan.processes.map { ($0.component, $0.kind.rawValue) }, uniquingKeysWith: { a, _ in a })
        }
        public var topology: Topology { source.topology }
        /// The app dir on the host (a container stack's image copies it; its plan names the image's).
        public var hostAppDirectory: String
    }

    /// Why a launch ended before the stack ran (its events were already reported).
    public struct LaunchFailed: Error {}

    public let control: Control
    /// The topology the dashboard draws (the file's, or one made from the discovered deploy).
    public let topology: Topology
    public let stack: RunningStack
    public let watcher: StackWatcher
    /// Load and access logs (see `TrafficSession`): started with the watcher, stopped with the stack.
    public let traffic: TrafficSession
    private let sink: EventSink
    private let ending = Mutex<Ending?>(nil)
    /// The stack's components now: the launch's, with the new root of each component restarted
    /// in place (what a stop stops and the fault checks accept).
    private let current: Mutex<[LaunchedComponent]>
    /// Held while a component restarts in place, so a stop waits for it and never races it;
    /// true once the stack is closing (no restart starts after that).
    private let closing = Mutex<Bool>(false)

    private init(
        control: Control, topology: Topology, stack: RunningStack, watcher: StackWatcher,
        traffic: TrafficSession, sink: @escaping EventSink
    ) {
        self.control = control
        self.topology = topology
        self.stack = stack
        self.watcher = watcher
        self.traffic = traffic
        self.sink = sink
        self.current = Mutex(stack.components)
    }

    /// The components now (see `current`).
    public var components: [LaunchedComponent] { current.withLock { $0 } }

    /// Runs `body` unless the stack is closing, with no close or other restart at the same time.
    public func whileOpen<T: Sendable>(_ body: () throws(CLIError) -> T) throws(CLIError) -> T {
        try closing.withLock { (isClosing: inout Bool) throws(CLIError) -> T in
            if isClosing { throw CLIError("the stack is stopping") }
            return try body()
        }
    }

    /// `component` replaces the current component of its name (a restart in place).
    public func replace(_ component: LaunchedComponent) {
        current.withLock { list in
            if let i = list.firstIndex(where: { $0.spec.component == component.spec.component }) { list[i] = component }
        }
    }

    /// Every session the stack's processes live in now (restarts in place included).
    public var sessions: Set<Int32> { Set(components.compactMap(\.session)) }

    /// The prepared topology of a launched stack (nil when attached).
    public var prepared: Prepared? {
        if case let .launched(p, _, _) = control { return p }
        return nil
    }

    /// The discovered deploy of an attached stack (nil when launched).
    public var deploy: DiscoveredDeploy? {
        if case let .attached(d) = control { return d }
        return nil
    }

    public var isAttached: Bool { deploy != nil }

    /// Loads `nameOrPath` (a name from topologies/ or a path), prepares a run dir and plans it.
    public static func prepare(_ nameOrPath: String) throws(CLIError) -> Prepared {
        var source: TopologySource
        do { source = try TopologySource.load(nameOrPath) } catch { throw CLIError("\(error)") }
        let preparation = LaunchPreparation(paths: source.paths)
        do {
            var (topology, context) = try preparation.prepareLaunch(source.topology)
            let hostAppDirectory = topology.app.directory
            // In a container, the app and its venv are the image's; the run dir is mounted at its own path.
            if topology.container { (topology, context) = ContainerImage.adapt(topology, context: context) }
            source.topology = topology
            let plan = try Recipes.plan(for: topology, context: context)
            return Prepared(source: source, context: context, plan: plan, hostAppDirectory: hostAppDirectory)
        } catch {
            throw CLIError("\(source.topology.name): \(error)")
        }
    }

    /// Starts the reaper, launches `prepared` and starts watching it. `shouldStop` is polled
    /// during the launch (SIGINT while starting). Throws `LaunchFailed` after the launcher
    /// reported the failure and stopped what it had started. Event times are ms on `clock`.
    public static func launch(
        _ prepared: Prepared, events: @escaping EventSink,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        settings: StackWatcher.Settings? = nil, clock: Stopwatch = Stopwatch()
    ) throws -> LiveStack {
        // A container's processes report their own pids (X-Worker-Pid, access logs): remember
        // which host pid each is, per component (each container of a pod has its own pids).
        let pids = ContainerPids()
        let outer = events
        let events: EventSink = { event in
            if case .spawned = event.kind, let inner = event.containerPid, let host = event.pid, let c = event.component
            {
                pids.record(component: c, inner: inner, host: host)
            }
            outer(event)
        }
        let reaper: ReaperClient
        do { reaper = try ReaperClient(argv: ReaperClient.defaultArgv()) } catch {
            throw CLIError("cannot start the reaper that guards against leftovers: \(error)")
        }
        var launcher = StackLauncher(registry: reaper, shouldStop: shouldStop)
        if prepared.topology.container { ContainerLaunch.configure(&launcher, prepared) }
        let stack: RunningStack
        do {
            stack = try launcher.launch(prepared.plan, runDir: prepared.context.runDir, clock: clock, events: events)
        } catch {
            reaper.finish()
            throw LaunchFailed()
        }
        let watcher = StackWatcher(stack: stack, settings: settings ?? StackWatcher.Settings(), events: events)
        watcher.start()
        let traffic = TrafficSession(
            stack: stack, topology: prepared.topology,
            probePath: stack.plan.healthPath, events: events)
        if prepared.topology.container {
            let topology = prepared.topology
            let apps = topology.appServers.map(\.name)
            let served = Dictionary(
                uniqueKeysWithValues: topology.components.map {
                    ($0.name, ContainerPidMap.appServers(loggedBy: $0.name, in: topology))
                })
            // A pid the watcher has not reported yet (a replacement's first requests) is looked
            // up in /proc under its container's root: a few small reads, on a miss only.
            pids.learnRoots(stack)
            traffic.setWorkerPidTranslation { pids.resolve($0, among: apps) }
            traffic.setLogPidTranslation { component, pid in pids.resolve(pid, among: served[component] ?? apps) }
        }
        traffic.start()
        return LiveStack(
            control: .launched(prepared, launcher, reaper), topology: prepared.topology, stack: stack,
            watcher: watcher, traffic: traffic, sink: events)
    }

    /// Starts watching `deploy`, found running: the watcher is seeded from the discovered
    /// processes, the access logs are followed from their end (no history replayed), the hops
    /// are only connect-probed (nothing is added to the deploy's logs). Emits `stack` first.
    public static func attach(
        _ deploy: DiscoveredDeploy, events: @escaping EventSink,
        settings: StackWatcher.Settings = StackWatcher.Settings(), clock: Stopwatch = Stopwatch()
    ) -> LiveStack {
        let plan = AttachedPlan.plan(of: deploy)
        let topology = AttachedPlan.topology(of: deploy)
        var roots: [String: ProcessIdentity] = [:]
        for r in AttachedPlan.roots(of: deploy) {
            roots[r.component] = ProcessIdentity(pid: r.pid, startTime: r.startTime)
        }
        let logDir =
            deploy.servers.flatMap { $0.accessLogs + $0.errorLogs }.first
            .map { String($0[..<($0.lastIndex(of: "/") ?? $0.endIndex)]) } ?? "/"
        let stack = RunningStack(
            plan: plan, runDir: logDir.isEmpty ? "/" : logDir,
            components: plan.processes.map { LaunchedComponent(spec: $0, process: nil) },
            clock: clock, origin: .attached(target: deploy.target, roots: roots))
        events(StackEvent(tMs: clock.elapsedMs, .stack(topology: topology.name, runDir: "", url: deploy.url)))
        let watcher = StackWatcher(stack: stack, settings: settings, events: events)
        watcher.start()
        let traffic = TrafficSession(stack: stack, topology: topology, probePath: "/", events: events, fromEnd: true)
        traffic.start()
        return LiveStack(
            control: .attached(deploy), topology: topology, stack: stack, watcher: watcher,
            traffic: traffic, sink: events)
    }

    public var url: String { stack.url }
    public var runDir: String { stack.runDir }

    /// The whole picture now (components, usage, hop health).
    public func snapshot() -> StackSnapshot { watcher.snapshot() }

    /// Reports `event` in the stack's stream, as if the launcher or the watcher had (a drill's `fault`).
    public func emit(_ event: StackEvent) { sink(event) }

    /// The last `lines` lines of `component`'s logs.
    public func logTail(_ component: String, lines: Int) -> [String] { watcher.logTail(component, lines: lines) }

    /// Closes the stack as its origin allows: a launched one is stopped (`stop`), an attached
    /// one detached (`detach`). Safe to call twice (the second call returns the first ending).
    @discardableResult
    public func close() -> Ending {
        if let done = ending.withLock({ $0 }) { return done }
        // A restart in place under way finishes first: its new session is then the one stopped.
        closing.withLock { $0 = true }
        let result: Ending
        switch control {
        case let .launched(_, launcher, reaper): result = .stopped(stop(launcher, reaper))
        case .attached: result = detach()
        }
        ending.withLock { $0 = result }
        return result
    }

    /// Closes the stack; the stop's report when it was launched (nil after a detach).
    @discardableResult
    public func stop() -> StackStopper.Report? { close().report }

    /// Stops watching an attached deploy: the load stops, the watcher and the log followers
    /// end, the final `traffic` and `detached` follow. No process of the deploy is signalled.
    private func detach() -> Ending {
        traffic.stopLoad()
        watcher.stop()
        var totals = traffic.finish()
        totals.tMs = stack.clock.elapsedMs
        sink(totals)
        let pids = watcher.snapshot().components.flatMap(\.processes).count
        sink(
            StackEvent(
                tMs: stack.clock.elapsedMs,
                .detached(detail: "stopped watching \(pids) process(es); the deploy was left running")))
        return .detached
    }

    /// Stops a launched stack: stops the load (so shutdown shows as no failed requests), tells
    /// the watcher the exits are expected, stops every component, ends the watcher after it
    /// reported the exits, reads the access logs to their end, then emits the final `traffic`
    /// event, `stopped`, and releases the reaper.
    private func stop(_ launcher: StackLauncher, _ reaper: ReaperClient) -> StackStopper.Report {
        traffic.stopLoad()
        watcher.stopping()
        let held = Mutex<[StackEvent]>([])
        let result = launcher.stopper.stop(
            components, clock: stack.clock,
            events: { event in held.withLock { $0.append(event) } })
        watcher.stop()
        let totals = traffic.finish()
        for event in held.withLock({ $0 }) {
            if case .stopped = event.kind {
                var last = totals
                last.tMs = min(totals.tMs, event.tMs)  // times never go back in the stream
                sink(last)
            }
            sink(event)
        }
        reaper.finish()
        return result
    }
}
