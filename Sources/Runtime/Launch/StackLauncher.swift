import Glibc
import StackModel
import StackRecipes
import Supervision

/// Launches a `Plan`: writes its files, spawns each component in its own session in order and
/// waits for each to be ready; on any failure reports it with the server's own log lines and
/// stops whatever was already started.
public struct StackLauncher: Sendable {
    public var table: any ProcessTable
    /// Told every session before its process can fork, so a kill -9 of stacktop still cleans up.
    public var registry: any CleanupRegistry
    public var probe: ReadinessProbe
    public var stopper: StackStopper
    /// How long one component may take to pass its readiness check.
    public var readinessTimeoutMs: Int
    /// Pause between readiness checks.
    public var checkIntervalMs: Int
    /// Polled while waiting: true aborts the launch (SIGINT during startup).
    public var shouldStop: @Sendable () -> Bool
    /// The programs the plan was rendered for (checked before anything starts; mod_wsgi.so's
    /// directory is not in any argv).
    public var tools: Toolchain
    /// podman, for a plan with a `container` placement.
    public var containerEngine: ContainerEngine?
    /// For a `container: true` stack: builds (or finds cached) its image and says where it runs,
    /// reporting progress as `building` events. Runs after the `stack` event, before anything starts.
    public var placeContainer:
        (
            @Sendable (_ progress: @escaping @Sendable (String, String) -> Void) throws(LaunchError) ->
                ContainerPlacement
        )?
    /// For a `container: pod` stack: builds (or finds cached) each component's image and says
    /// which container of which pod each runs in. Runs where `placeContainer` would.
    public var placePod:
        (@Sendable (_ progress: @escaping @Sendable (String, String) -> Void) throws(LaunchError) -> PodPlacement)?

    public init(
        table: any ProcessTable = LinuxProcessTable(), registry: any CleanupRegistry,
        probe: ReadinessProbe = ReadinessProbe(), stopper: StackStopper? = nil,
        readinessTimeoutMs: Int = 20_000, checkIntervalMs: Int = 10,
        shouldStop: @escaping @Sendable () -> Bool = { false }, tools: Toolchain = Toolchain()
    ) {
        self.table = table
        self.registry = registry
        self.probe = probe
        self.stopper = stopper ?? StackStopper(table: table, registry: registry, probe: probe)
        self.readinessTimeoutMs = readinessTimeoutMs
        self.checkIntervalMs = checkIntervalMs
        self.shouldStop = shouldStop
        self.tools = tools
        self.containerEngine = nil
        self.placeContainer = nil
        self.placePod = nil
    }

    /// The components whose program (argv[0], also for the ones another component starts) is
    /// missing or not executable; mod_wsgi's Apache module counts as its program.
    public static func missingPrograms(_ plan: Plan, tools: Toolchain = Toolchain()) -> [(
        component: String, kind: ServerKind, path: String
    )] {
        plan.processes.compactMap { spec in
            if spec.kind == .modWSGI {
                let module = tools.apacheModules + "/mod_wsgi.so"
                return access(module, R_OK) == 0 ? nil : (spec.component, spec.kind, module)
            }
            guard let exe = spec.argv.first, exe.hasPrefix("/") else { return nil }
            return access(exe, X_OK) == 0 ? nil : (spec.component, spec.kind, exe)
        }
    }

    /// Launches `plan` in `runDir` (which exists). Emits `stack`, then `starting`/`ready` per
    /// component; on failure an `error` event quoting the server's log, then `stopped`.
    public func launch(
        _ plan: Plan, runDir: String, clock: Stopwatch = Stopwatch(),
        events: @escaping EventSink
    ) throws(LaunchError) -> RunningStack {
        events(
            StackEvent(tMs: clock.elapsedMs, .stack(topology: plan.topology, runDir: runDir, url: plan.frontDoorURL)))
        var launched: [LaunchedComponent] = []
        var plan = plan
        do throws(LaunchError) {
            if let placeContainer {
                plan.container = try placeContainer { step, detail in
                    events(StackEvent(tMs: clock.elapsedMs, .building(step: step, detail: detail)))
                }
            }
            if let placePod {
                plan.pod = try placePod { step, detail in
                    events(StackEvent(tMs: clock.elapsedMs, .building(step: step, detail: detail)))
                }
            }
            // A container's programs are in its image, not on the host.
            if plan.container == nil && plan.pod == nil,
                let missing = StackLauncher.missingPrograms(plan, tools: tools).first
            {
                throw LaunchError.missingProgram(component: missing.component, kind: missing.kind, path: missing.path)
            }
            do { try RunDirectory.write(plan, into: runDir) } catch {
                // Nothing started yet: a half-written run dir (a full disk) is removed, not kept.
                let removed = RunDirectory.discard(runDir)
                throw LaunchError.runDirectory(
                    "\(error)" + (removed ? " (nothing was started; the half-written run dir was removed)" : ""))
            }
            if let pod = plan.pod {
                try PodStart(registry: registry, engine: containerEngine)
                    .create(pod, runDir: runDir, component: plan.processes.first?.component ?? plan.topology)
            }
            for spec in plan.processes {
                var component = LaunchedComponent(spec: spec, process: nil)
                let startedMs = clock.elapsedMs
                let placement = plan.container ?? plan.pod?.containers[spec.component]
                if spec.launchedBy == nil, plan.pod != nil, placement == nil {
                    throw LaunchError.containerFailed(
                        component: spec.component, detail: "the pod has no container for it")
                }
                if spec.launchedBy == nil, let placement {
                    component.container = placement
                    do throws(LaunchError) {
                        component.process = try ContainerStart(
                            table: table, registry: registry, engine: containerEngine
                        )
                        .start(spec, in: placement, runDir: runDir)
                    } catch {
                        launched.append(component)  // so the stopper removes what podman left
                        throw error
                    }
                } else if spec.launchedBy == nil {
                    component.process = try spawn(spec, runDir: runDir)
                }
                let argv =
                    spec.launchedBy == nil
                    ? placement.map { [containerEngine?.podman ?? "podman"] + $0.runArguments(spec, runDir: runDir) }
                        ?? spec.argv
                    : startingArgv(spec, launched)
                events(
                    StackEvent(
                        tMs: startedMs, .starting(argv: argv, launchedBy: spec.launchedBy),
                        component: spec.component, role: spec.roles.root, pid: component.process?.pid))
                launched.append(component)
                try waitUntilReady(spec, process: component.process, launched: launched, clock: clock)
                let after = clock.elapsedMs - startedMs
                launched[launched.count - 1].readyAfterMs = after
                let hosted = spec.launchedBy == nil ? [] : hostedProcesses(spec, launched)
                events(
                    StackEvent(
                        tMs: clock.elapsedMs, .ready(afterMs: after, processes: hosted), component: spec.component,
                        role: spec.roles.root, pid: component.process?.pid ?? hostedRoot(spec, launched)))
            }
            if let door = FrontDoorCheck(plan: plan) { try waitUntilAnswering(door, launched: launched) }
        } catch {
            var tail: [String] = []
            for name in error.quotedComponents {
                guard let spec = plan.processes.first(where: { $0.component == name }) else { continue }
                tail += LogExcerpt.quote(
                    runDir: runDir, outputLog: spec.outputLog, logFiles: spec.logFiles,
                    accessLog: spec.accessLog)
            }
            var message = error.description
            // A server that cannot write its pid file or first log line on a full disk often
            // exits without a word (its log cannot be written either): say what the disk says.
            switch error {
            case .runDirectory, .interrupted: break
            default: if let full = DiskSpaceWatch.launchHint(runDir: runDir) { message += "; " + full }
            }
            events(
                StackEvent(
                    tMs: clock.elapsedMs, .error(message: message, logTail: tail),
                    component: error.component))
            stopper.stop(launched, clock: clock, events: events)
            throw error
        }
        return RunningStack(plan: plan, runDir: runDir, components: launched, clock: clock)
    }

    /// Spawns one component's root in a new session, output appended to its output log, and
    /// records the session with the registry at once.
    func spawn(_ spec: ProcessSpec, runDir: String) throws(LaunchError) -> ChildProcess {
        let logPath = spec.outputLog.hasPrefix("/") ? spec.outputLog : runDir + "/" + spec.outputLog
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else {
            throw LaunchError.runDirectory("\(logPath): \(String(cString: strerror(errno)))")
        }
        defer { close(logFD) }
        let request = SpawnRequest(
            argv: spec.argv, environment: spec.environment,
            workingDirectory: spec.workingDirectory,
            stdinFD: nil, stdoutFD: logFD, stderrFD: logFD, newSession: true)
        let pid: Int32
        // Should stacktop die between the fork and the `session` line below, this tells the
        // reaper how to find the child anyway.
        registry.record(.spawning(runDir: runDir))
        do { pid = try ProcessSpawner().spawn(request) } catch {
            throw LaunchError.spawnFailed(component: spec.component, error)
        }
        // The child is session leader from before exec, so its session id is its pid; tell the
        // reaper before the server has had time to fork much.
        registry.record(.session(pid))
        let start = table.record(of: pid)?.startTimeTicks ?? 0
        if start != 0 { registry.record(.process(ProcessIdentity(pid: pid, startTime: start))) }
        return ChildProcess(pid: pid, startTimeTicks: start)
    }

    /// After a TCP/HTTP probe passed: the listener must be a process of this stack, not some
    /// other program that took the port between the port check and the launch.
    private func checkListenerIsOurs(_ spec: ProcessSpec, sessions: Set<Int32>) throws(LaunchError) {
        let port: Int
        switch spec.readiness {
        case let .http(_, p, _), let .tcp(_, p): port = p
        case .unixSocket, .withParent: return
        }
        let holders = SocketTable(table: table).holders(ofPort: port)
        // Holders we cannot see (another user's process without privileges) prove nothing.
        guard !holders.isEmpty else { return }
        if holders.contains(where: { table.record(of: $0.pid).map { sessions.contains($0.sid) } ?? false }) { return }
        throw LaunchError.portTaken(component: spec.component, port: port, holders: holders.map(\.description))
    }

    /// The root pid of a component another one started, found in its launcher's session.
    func hostedRoot(_ spec: ProcessSpec, _ launched: [LaunchedComponent]) -> Int32? {
        guard let name = spec.launchedBy,
            let session = launched.first(where: { $0.spec.component == name })?.session
        else { return nil }
        return ComponentLocator(table: table).root(of: spec, inSession: session)
    }

    /// What a component runs, for its `starting` event: the argv stacktop spawns, or the one its
    /// launcher execs (supervisord's program, lighttpd's `bin-path`), or — for forks that exec
    /// nothing (mod_wsgi daemons, forked by Apache before this event) — what /proc shows of them.
    func startingArgv(_ spec: ProcessSpec, _ launched: [LaunchedComponent]) -> [String] {
        if spec.launchedBy == nil || !spec.argv.isEmpty { return spec.argv }
        return hostedProcesses(spec, launched).first?.argv ?? []
    }

    /// The live processes of a component another one started, found in its launcher's session:
    /// those its spec claims by command line, and their descendants; in pid order.
    func hostedProcesses(_ spec: ProcessSpec, _ launched: [LaunchedComponent]) -> [HostedProcess] {
        guard let name = spec.launchedBy,
            let session = launched.first(where: { $0.spec.component == name })?.session
        else { return [] }
        let claimed = Set(ComponentLocator(table: table).claimed(by: spec, inSession: session).map(\.pid))
        guard !claimed.isEmpty else { return [] }
        let members = table.liveMembers(ofSessions: [session])
        var owned = claimed
        var grew = true
        while grew {
            grew = false
            for m in members where !owned.contains(m.pid) && owned.contains(m.ppid) {
                owned.insert(m.pid)
                grew = true
            }
        }
        return owned.sorted().compactMap { pid in table.arguments(of: pid).map { HostedProcess(pid: pid, argv: $0) } }
    }

    /// Polls the front door until it answers below 500; fails fast if a spawned root exits.
    func waitUntilAnswering(_ door: FrontDoorCheck, launched: [LaunchedComponent]) throws(LaunchError) {
        let waited = Stopwatch()
        while true {
            if shouldStop() { throw LaunchError.interrupted }
            if let dead = launched.first(where: { $0.process?.hasExited == true }), let status = dead.process?.poll() {
                let name = dead.spec.component
                throw LaunchError.frontDoorFailing(
                    url: door.url, afterMs: waited.elapsedMs,
                    lastSeen: "\(name) (\(dead.spec.kind.rawValue)) \(status)",
                    components: [name] + door.appComponents.filter { $0 != name })
            }
            let lastSeen: String
            switch door.check(probe) {
            case .ready: return
            case let .notReady(detail): lastSeen = detail
            }
            if waited.elapsedMs >= readinessTimeoutMs {
                throw LaunchError.frontDoorFailing(
                    url: door.url, afterMs: waited.elapsedMs, lastSeen: lastSeen,
                    components: door.appComponents)
            }
            // A request each time: keep it gentle on an app still importing.
            Stopwatch.sleep(ms: max(checkIntervalMs, 20))
        }
    }

    /// Polls the component's readiness until it passes; fails fast if it (or its launcher) exits.
    func waitUntilReady(
        _ spec: ProcessSpec, process: ChildProcess?, launched: [LaunchedComponent],
        clock: Stopwatch
    ) throws(LaunchError) {
        let waited = Stopwatch()
        let launcher = spec.launchedBy.flatMap { name in launched.first { $0.spec.component == name }?.process }
        var lastSeen = "no check ran"
        while true {
            if shouldStop() { throw LaunchError.interrupted }
            if let status = process?.poll() {
                throw LaunchError.exitedEarly(component: spec.component, kind: spec.kind.rawValue, status: status)
            }
            if let launcher, launcher.hasExited {
                throw LaunchError.launcherExited(component: spec.component, launcher: spec.launchedBy ?? "")
            }
            switch probe.check(spec.readiness) {
            case .ready:
                try checkListenerIsOurs(spec, sessions: Set(launched.compactMap(\.session)))
                return
            case let .notReady(detail): lastSeen = detail
            }
            if waited.elapsedMs >= readinessTimeoutMs {
                throw LaunchError.notReady(
                    component: spec.component, kind: spec.kind.rawValue,
                    afterMs: waited.elapsedMs, lastSeen: lastSeen)
            }
            Stopwatch.sleep(ms: checkIntervalMs)
        }
    }
}
