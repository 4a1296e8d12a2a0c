import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization

/// One stack from topology to stop, for `up` and the dashboard: load the topology, prepare the
/// run dir and ports, plan, start the reaper, launch, watch; and stop in the right order.
///
/// Events (launch, then the watcher's) go to one sink, in order; `stopped` is always last.
final class LiveStack: Sendable {
    /// A topology loaded and planned, not yet launched.
    struct Prepared: Sendable {
        var source: TopologySource
        var context: LaunchContext
        var plan: Plan
        /// Server kind by component name, for human lines.
        var kinds: [String: String] {
            Dictionary(plan.processes.map { ($0.component, $0.kind.rawValue) }, uniquingKeysWith: { a, _ in a })
        }
        var topology: Topology { source.topology }
        /// The app dir on the host (a container stack's image copies it; its plan names the image's).
        var hostAppDirectory: String
    }

    /// Why a launch ended before the stack ran (its events were already reported).
    struct LaunchFailed: Error {}

    let prepared: Prepared
    let stack: RunningStack
    let watcher: StackWatcher
    /// Load and access logs (see `TrafficSession`): started with the watcher, stopped with the stack.
    let traffic: TrafficSession
    private let launcher: StackLauncher
    private let reaper: ReaperClient
    private let sink: EventSink
    private let report = Mutex<StackStopper.Report?>(nil)

    private init(prepared: Prepared, stack: RunningStack, watcher: StackWatcher, traffic: TrafficSession,
                 launcher: StackLauncher, reaper: ReaperClient, sink: @escaping EventSink) {
        self.prepared = prepared
        self.stack = stack
        self.watcher = watcher
        self.traffic = traffic
        self.launcher = launcher
        self.reaper = reaper
        self.sink = sink
    }

    /// Loads `nameOrPath` (a name from topologies/ or a path), prepares a run dir and plans it.
    static func prepare(_ nameOrPath: String) throws(CLIError) -> Prepared {
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
    static func launch(_ prepared: Prepared, events: @escaping EventSink,
                       shouldStop: @escaping @Sendable () -> Bool = { false },
                       settings: StackWatcher.Settings? = nil, clock: Stopwatch = Stopwatch()) throws -> LiveStack {
        // A container's processes report their own pids (X-Worker-Pid): remember which host pid each is.
        let pids = ContainerPidMap()
        let outer = events
        let events: EventSink = { event in
            if case .spawned = event.kind, let inner = event.containerPid, let host = event.pid { pids.record(inner, host: host) }
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
        let traffic = TrafficSession(stack: stack, topology: prepared.topology,
                                     probePath: stack.plan.healthPath, events: events)
        if prepared.topology.container { traffic.setWorkerPidTranslation { pids.hostPid($0) } }
        traffic.start()
        return LiveStack(prepared: prepared, stack: stack, watcher: watcher, traffic: traffic, launcher: launcher,
                         reaper: reaper, sink: events)
    }

    var url: String { stack.url }
    var runDir: String { stack.runDir }

    /// The whole picture now (components, usage, hop health).
    func snapshot() -> StackSnapshot { watcher.snapshot() }

    /// Reports `event` in the stack's stream, as if the launcher or the watcher had (a drill's `fault`).
    func emit(_ event: StackEvent) { sink(event) }

    /// The last `lines` lines of `component`'s logs.
    func logTail(_ component: String, lines: Int) -> [String] { watcher.logTail(component, lines: lines) }

    /// Stops the stack: stops the load (so shutdown shows as no failed requests), tells the
    /// watcher the exits are expected, stops every component, ends the watcher after it reported
    /// the exits, reads the access logs to their end, then emits the final `traffic` event,
    /// `stopped`, and releases the reaper. Safe to call twice (the second call returns the first report).
    @discardableResult
    func stop() -> StackStopper.Report {
        if let done = report.withLock({ $0 }) { return done }
        traffic.stopLoad()
        watcher.stopping()
        let held = Mutex<[StackEvent]>([])
        let result = launcher.stopper.stop(stack.components, clock: stack.clock,
                                           events: { event in held.withLock { $0.append(event) } })
        watcher.stop()
        let totals = traffic.finish()
        for event in held.withLock({ $0 }) {
            if case .stopped = event.kind {
                var last = totals
                last.tMs = min(totals.tMs, event.tMs) // times never go back in the stream
                sink(last)
            }
            sink(event)
        }
        reaper.finish()
        report.withLock { $0 = result }
        return result
    }
}

/// Container pid → host pid of a `container: true` stack's processes, from `spawned` events.
final class ContainerPidMap: Sendable {
    private let map = Mutex<[Int32: Int32]>([:])
    func record(_ inner: Int32, host: Int32) { map.withLock { $0[inner] = host } }
    /// The host pid of container pid `inner`, else `inner` itself.
    func hostPid(_ inner: Int32) -> Int32 { map.withLock { $0[inner] } ?? inner }
}
