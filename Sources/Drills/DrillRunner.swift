import Glibc
import Live
import Runtime
import StackModel
import Supervision
import Synchronization
import Traffic

/// Runs one failure drill on a stack that is already running: load, warm-up, the fault, then
/// watching until the stack recovered or the timeout passed; returns the tracker's report.
///
/// It does not launch anything (`drill` launches, the dashboard already has a stack). The owner
/// of the stack's event sink forwards every event to `observe` while the drill runs; requests
/// come from the load generator's sample tap, snapshots from the watcher (20 a second). `run`
/// blocks its thread (a plain one, not a Swift concurrency task). Whatever way it ends, nothing
/// it did stays behind: a stopped worker is continued, the crash-loop switch is removed, the
/// sample tap is removed, and a load it started is stopped.
public final class DrillRunner: Sendable {
    public let live: LiveStack
    public let scenario: DrillScenario
    public let loadRps: Int
    private let state = Mutex(State())
    /// Snapshot period while waiting for recovery.
    public static let tickMs = 50
    /// Requests kept from before the tracker exists (for attribution seen before the fault).
    public static let recentMs = 3_000

    private struct State: Sendable {
        var tracker: DrillTracker?
        var recent: [DrillRequest] = []
        /// recycle: every request of the last `keptMs`, for the windows it compares.
        var kept: [DrillRequest] = []
        /// recycle: when workers of the recycled component were replaced (`replaced` events).
        var replacedAt: [Int] = []
        var recycled: String?
    }
    /// How long recycle keeps requests (both windows and the reload between).
    public static let keptMs = 40_000

    public init(live: LiveStack, scenario: DrillScenario, loadRps: Int) {
        self.live = live
        self.scenario = scenario
        self.loadRps = loadRps
    }

    /// Every event of the stack, from the owner's sink (any thread).
    public func observe(_ event: StackEvent) {
        state.withLock { s in
            s.tracker?.observe(event)
            if case .replaced = event.kind, let c = s.recycled, event.component == c, event.role == .worker {
                s.replacedAt.append(event.tMs)
            }
        }
    }

    /// A request of the load generator (or a /crash of crash-inside), on the stack's clock.
    private func observe(_ request: DrillRequest) {
        let keep = scenario.action == .recycle
        state.withLock { s in
            if keep {
                s.kept.append(request)
                if let first = s.kept.first, request.tMs - first.tMs > Self.keptMs * 2 {
                    s.kept.removeAll { $0.tMs < request.tMs - Self.keptMs }
                }
            }
            if s.tracker != nil {
                s.tracker!.observe(request)
            } else {
                s.recent.append(request)
                if let first = s.recent.first, request.tMs - first.tMs > Self.recentMs * 2 {
                    s.recent.removeAll { $0.tMs < request.tMs - Self.recentMs }
                }
            }
        }
    }

    /// Runs the drill; a refusal (the scenario does not apply, the target vanished, a stop
    /// before the fault) comes back as `.failure`. `shouldStop` is polled every tick: when it
    /// turns true after the fault, the report says what is known by then.
    public func run(
        progress: @Sendable (DrillProgress) -> Void,
        shouldStop: @Sendable () -> Bool
    ) -> Result<DrillReport, DrillRefusal> {
        let began = Stopwatch()
        let topology = live.topology
        func say(_ phase: DrillProgress.Phase, _ text: String) {
            progress(DrillProgress(phase: phase, elapsedMs: began.elapsedMs, text: text))
        }
        func refusal(_ reason: String) -> DrillRefusal {
            DrillRefusal(scenario: scenario.name, topology: topology.name, reason: reason)
        }
        // Refused at once when it cannot apply (before any load or waiting), judged on a view
        // that has seen the processes: right after a launch the watcher may not have scanned yet.
        let context = live.prepared?.context
        if context == nil && scenario.action.operation != nil {
            return .failure(
                refusal(
                    "\(scenario.name) reloads, restarts or scales through the launch's own files; this deploy was attached"
                ))
        }
        if case let .failure(refused) = DrillPlan.resolve(
            scenario, topology: topology, components: scannedView(shouldStop),
            context: context)
        {
            return .failure(refused)
        }

        let clock = DrillClock(stack: live.stack.clock)
        live.traffic.setSampleObserver { [weak self] sample in self?.observe(clock.request(sample)) }
        let load = live.traffic.load
        var cleanups = DrillCleanups(live: live, restore: !load.started ? .stop : load.paused ? .pause : .leave)
        defer { cleanups.run() }
        do {
            if !load.started { try live.traffic.startLoad(rate: loadRps) } else if load.paused { live.traffic.resume() }
        } catch {
            return .failure(refusal("cannot start the load: \(error)"))
        }
        let rps = live.traffic.load.rate
        say(.warmingUp, "\(scenario.warmupMs) ms at \(rps) requests/s")
        let warming = Stopwatch()
        // recycle: the stack's capacity before recycling, first (the baseline window follows).
        var capacityBefore: DrillReport.Capacity?
        if scenario.action == .recycle && scenario.warmupMs >= DrillScenario.recycleWindowMs + Self.capacityProbeMs {
            say(.warmingUp, "capacity before recycling: \(Self.capacityProbeMs) ms closed loop")
            capacityBefore = probeCapacity()
        }
        while warming.elapsedMs < scenario.warmupMs {
            if shouldStop() { return .failure(refusal("stopped before the fault was injected")) }
            Stopwatch.sleep(ms: min(Self.tickMs, scenario.warmupMs - warming.elapsedMs))
        }

        // The plan on a fresh snapshot: the pids to hit are the ones alive now.
        let before = live.snapshot().components
        let plan: DrillPlan
        switch DrillPlan.resolve(scenario, topology: topology, components: before, context: context) {
        case let .success(p): plan = p
        case let .failure(refused): return .failure(refused)
        }
        state.withLock { s in
            var tracker = DrillTracker(plan: plan, topology: topology.name, loadRps: rps, before: before)
            for r in s.recent { tracker.observe(r) }
            s.recent = []
            s.tracker = tracker
        }
        if plan.bumpsVersion {
            let file = AppVersionFile(runDir: live.runDir)
            let next = file.current() + 1
            do { try file.write(next) } catch { return .failure(refusal(error.description)) }
            state.withLock { $0.tracker?.deploying(version: next) }
            say(.warmingUp, "app version \(next) written to \(file.path)")
        }
        var recycleConfig: RecycleConfig?
        if let setup = plan.recycle {
            let config = RecycleConfig(setup: setup, runDir: live.runDir)
            do { try config.turnOn() } catch { return .failure(refusal(error.description)) }
            recycleConfig = config
            cleanups.recycleConfig = config
            state.withLock { $0.recycled = setup.component }
            say(.warmingUp, "recycling turned on in \(config.configPath): \(setup.how)")
        }
        let opEnded = Mutex<(atMs: Int, output: String?, failed: Bool)?>(nil)
        let injection = DrillInjection(live: live, plan: plan)
        let fault: DrillInjection.Fault
        do {
            fault = try injection.inject(components: before, cleanups: &cleanups) { body in
                state.withLock { s in
                    if let (atMs, detail) = body() { s.tracker?.faultInjected(atMs: atMs, detail: detail) }
                }
            } observe: { [weak self] request in
                self?.observe(request)
            } ended: { at, output, failed in
                opEnded.withLock { $0 = (at, output, failed) }
            }
        } catch {
            return .failure(refusal(error.description))
        }
        say(.injected, fault.summary)

        // Watch: snapshots 20 a second until the tracker has its report.
        say(.waitingForRecovery, "up to \(scenario.timeoutMs) ms for \(plan.watched.joined(separator: ", "))")
        let hardStopMs = fault.atMs + scenario.timeoutMs + scenario.quietMs + 5_000
        var resumeDue = fault.resumeAfterMs.map { fault.atMs + $0 }
        var report: DrillReport?
        while report == nil {
            let now = live.stack.clock.elapsedMs
            if let due = resumeDue, now >= due {
                resumeDue = nil
                if let at = cleanups.continueStopped() {
                    state.withLock { $0.tracker?.faultCleared(atMs: at) }
                    say(.waitingForRecovery, "SIGCONT sent")
                }
            }
            let components = live.snapshot().components
            let nowMs = live.stack.clock.elapsedMs
            let endedOp = opEnded.withLock { e in
                defer { e = nil }; return e
            }
            report = state.withLock { s -> DrillReport? in
                if let e = endedOp { s.tracker?.operationEnded(atMs: e.atMs, output: e.output, failed: e.failed) }
                s.tracker?.observe(components: components, nowMs: nowMs)
                if let done = s.tracker?.report { return done }
                if shouldStop() || nowMs >= hardStopMs {
                    guard var forced = s.tracker?.finish(nowMs: nowMs) else { return nil }
                    if shouldStop() && !forced.recovered {
                        forced.stillWrong.insert(
                            "the drill was stopped at +\(nowMs - fault.atMs) ms, before its timeout", at: 0)
                    }
                    return forced
                }
                return nil
            }
            if report == nil { Stopwatch.sleep(ms: Self.tickMs) }
        }
        guard var done = report else { return .failure(refusal("the drill ended without a report")) }
        if done.failedRequests > 0 || plan.operation?.operation == .restart || done.slowRequest != nil {
            // The servers' own words for the failures (front first: it saw them), after the
            // housekeeping thread has tailed the logs once more.
            Stopwatch.sleep(ms: 600)
            let names =
                [plan.frontDoor] + plan.watched.filter { $0 != plan.frontDoor }
                + topology.components.filter { $0.kind == .supervisord }.map(\.name)
            var seen = Set<String>()
            let logs = names.filter { seen.insert($0).inserted }.map {
                (component: $0, lines: live.logTail($0, lines: 400))
            }
            done.explanations = FailureExplanation.lines(in: logs)
        }
        if let slow = done.slowRequest { done.slowRequest = SlowRequestHops.fill(slow, live: live, plan: plan) }
        if let recycleConfig, !shouldStop() {
            say(.waitingForRecovery, "measuring \(DrillScenario.recycleWindowMs) ms of recycling")
            done.recycle = measureRecycling(recycleConfig, faultMs: fault.atMs, shouldStop: shouldStop)
            done.recycle?.capacityBefore = capacityBefore
            if capacityBefore != nil && !shouldStop() {
                say(.waitingForRecovery, "capacity while recycling: \(Self.capacityProbeMs) ms closed loop")
                done.recycle?.capacityWhile = probeCapacity()
            }
        }
        if case .failImport = plan.step, !done.recovered, let line = CrashLoopTraceback.lastLine(live, plan: plan) {
            done.stillWrong.append("the app fails to import: \(line)")
        }
        say(
            .done,
            done.recovered
                ? "recovered after \(done.recoveredMs ?? 0) ms"
                : shouldStop()
                    ? "stopped before the stack recovered" : "did not recover within \(scenario.timeoutMs) ms")
        return .success(done)
    }

    /// recycle: the requests kept and when the recycled component's workers were replaced.
    public func recycleTallies() -> (kept: [DrillRequest], replacedAt: [Int]) {
        state.withLock { s in (s.kept, s.replacedAt) }
    }

    /// The components once the watcher has scanned the stack twice (at most 2 s).
    private func scannedView(_ shouldStop: () -> Bool) -> [ComponentView] {
        let waited = Stopwatch()
        var snapshot = live.snapshot()
        while snapshot.scans < 2 && waited.elapsedMs < 2_000 && !shouldStop() {
            Stopwatch.sleep(ms: 20)
            snapshot = live.snapshot()
        }
        return snapshot.components
    }
}
