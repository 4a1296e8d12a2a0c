import Dashboard
import Discovery
import Dispatch
import Drills
import Glibc
import Live
import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization
import Terminal

/// The dashboard's link to one live stack: launches it, feeds the dashboard its events and
/// views, carries out the dashboard's commands, and stops it.
///
/// `perform` is called on the curses thread and never blocks there: launching, signalling and
/// stopping run one at a time on the session's own queue, a drill on its own thread
/// (`DashboardDrill`, fed every event), and their outcome reaches the screen as messages.
/// Stopping ends a running drill first, then the stack, and closes the inbox, which ends the
/// dashboard loop.
final class DashboardSession: Sendable {
    /// How the session ended, for the exit status and the last line printed.
    struct Outcome: Sendable {
        var stackName: String?
        var runDir: String?
        var report: StackStopper.Report?
        var launchFailed = false
        /// The stop ran (it runs once).
        var stopped = false
        /// An attached deploy was detached from (and left running).
        var detached = false
    }

    let inbox: DashboardInbox
    private let load = DashboardLoad()
    private let feed: DashboardFeed
    private let drills: DashboardDrill
    private let queue = DispatchQueue(label: "stacktop.dashboard.session")
    private let live = Mutex<LiveStack?>(nil)
    private let prepared = Mutex<LiveStack.Prepared?>(nil)
    private let clock = Mutex<Stopwatch?>(nil)
    private let quitRequested = StopFlag()
    private let outcome = Mutex(Outcome())
    private let readOnly = Mutex(false)
    /// When to let go of code pages (`ExecutableCodePages`), on the session's own clock.
    private let trimmer = Mutex(CodePageTrimmer())
    private let trimClock = Stopwatch()
    private let trimming = Mutex(false)

    init(inbox: DashboardInbox) {
        self.inbox = inbox
        feed = DashboardFeed(inbox: inbox)
        drills = DashboardDrill(inbox: inbox)
    }

    /// ms since the launch began (0 before it): the dashboard's clock, the events' clock.
    var nowMs: Int { clock.withLock { $0?.elapsedMs ?? 0 } }

    /// Views posted by the feed so far.
    var feedPosts: Int { feed.posts }

    /// Launches `prepared` on the session's queue; progress arrives as events.
    func launch(_ prepared: LiveStack.Prepared) {
        queue.async { self.start(prepared) }
    }

    /// Starts watching a discovered deploy on the session's queue (`attach`). With `readOnly`
    /// every fault command is refused.
    func attach(_ deploy: DiscoveredDeploy, readOnly: Bool) {
        self.readOnly.withLock { $0 = readOnly }
        queue.async { [self] in
            guard !quitRequested.isSet, live.withLock({ $0 == nil }) else { return }
            let stopwatch = Stopwatch()
            clock.withLock { $0 = stopwatch }
            outcome.withLock { $0.stackName = "attached \(deploy.target)" }
            let stack = LiveStack.attach(deploy, events: sink(), clock: stopwatch)
            for note in deploy.notes {
                inbox.send(
                    .events([StackEvent(tMs: stopwatch.elapsedMs, .error(message: "note: \(note)", logTail: []))]))
            }
            live.withLock { $0 = stack }
            feed.attach(stack)
            if deploy.frontDoorIsLoopback {
                load.attach(stack, rate: stack.topology.traffic.rate, inbox: inbox)
            } else {
                inbox.send(
                    .loadUnavailable(
                        "the front door \(deploy.frontDoor) is not on loopback: stacktop sends no load there"))
            }
            releaseCodeSoon()
        }
    }

    /// Something ran code that watching does not run again (a launch, an attach, a command, a
    /// drill): the trimmer lets go of this process's code pages a few seconds later, and looks
    /// once a second whether other paths have mapped in more since (`CodePageTrimmer`).
    private func releaseCodeSoon() {
        trimmer.withLock { $0.requestSoon(nowMs: trimClock.elapsedMs) }
        let start = trimming.withLock { started in
            defer { started = true }
            return !started
        }
        if start { trimLater() }
    }

    private func trimLater() {
        queue.asyncAfter(deadline: .now() + .seconds(1)) { [self] in
            guard !quitRequested.isSet else { return }
            let fileKB = CodePageTrimmer.ownFileKB() ?? 0
            if trimmer.withLock({ $0.tick(nowMs: trimClock.elapsedMs, fileKB: fileKB) }) {
                ExecutableCodePages.release()
            }
            trimLater()
        }
    }

    /// Carries out one command of the dashboard (on the curses thread: returns at once).
    func perform(_ command: Command) {
        if case .quit = command {} else { releaseCodeSoon() }
        switch command {
        case .signal, .killMaster, .killFront:
            queue.async { self.inject(command) }
        case let .operate(op, component, bump):
            queue.async { self.operate(op, component: component, bumpVersion: bump) }
        case let .setLoad(on):
            load.setLoad(on: on)
        case let .setRate(rate):
            load.setRate(rate)
        case let .openConfig(component):
            let files = prepared.withLock { $0?.plan.files.filter { $0.component == component } } ?? []
            inbox.send(.configFiles(files))
        case let .launch(topology):
            queue.async { self.start(path: topology.sourcePath.isEmpty ? topology.name : topology.sourcePath) }
        case .listDrills:
            queue.async { [self] in
                inbox.send(.drillMenu(live.withLock { $0 }.map { drills.menu(for: $0) } ?? []))
            }
        case let .runDrill(scenario, rate):
            guard let stack = live.withLock({ $0 }), !quitRequested.isSet else {
                inbox.send(
                    .drillFinished(
                        DrillOutcome(
                            scenario: scenario, verdict: .failed,
                            summary: "no stack running")))
                return
            }
            drills.start(
                scenario, rate: rate, on: stack, ready: { [load] in load.settle() },
                shouldStop: { [quitRequested] in quitRequested.isSet || SignalCatcher.pending != nil },
                finished: { [self] in releaseCodeSoon() })
        case .quit:
            quitRequested.set()
            queue.async { self.stopAndClose() }
        }
    }

    /// Stops the stack if it still runs and waits until it stopped (every exit path calls it).
    func finish() -> Outcome {
        quitRequested.set()
        queue.async { self.stopAndClose() }
        queue.sync {}
        return outcome.withLock { $0 }
    }

    // MARK: - On the queue

    private func start(path: String) {
        do {
            start(try LiveStack.prepare(path))
        } catch {
            inbox.send(.events([StackEvent(tMs: nowMs, .error(message: error.description, logTail: []))]))
        }
    }

    private func start(_ ready: LiveStack.Prepared) {
        guard !quitRequested.isSet, live.withLock({ $0 == nil }) else { return }
        prepared.withLock { $0 = ready }
        outcome.withLock {
            $0.stackName = ready.topology.name; $0.runDir = ready.context.runDir
        }
        inbox.send(.configFiles(ready.plan.files))
        let stopwatch = Stopwatch()
        clock.withLock { $0 = stopwatch }
        do {
            let stack = try LiveStack.launch(
                ready, events: sink(),
                shouldStop: { [quitRequested] in
                    quitRequested.isSet || SignalCatcher.pending != nil
                }, clock: stopwatch)
            live.withLock { $0 = stack }
            feed.attach(stack)
            load.attach(stack, rate: ready.topology.traffic.rate, inbox: inbox)
            releaseCodeSoon()
        } catch {
            // The launcher reported the failure as events and stopped what it had started.
            outcome.withLock { $0.launchFailed = true }
            if !(error is LiveStack.LaunchFailed) {
                inbox.send(.events([StackEvent(tMs: stopwatch.elapsedMs, .error(message: "\(error)", logTail: []))]))
            }
        }
    }

    /// The sink every event of the stack goes through: to the drill, the feed and the screen.
    private func sink() -> EventSink {
        { [inbox, feed, drills] event in
            drills.observe(event)
            switch event.kind {
            case .traffic:
                // Once a second: the traffic panel's, not the timeline's.
                if let window = DashboardLoad.window(event) { inbox.send(.traffic(window)) }
                return
            case .exited, .spawned, .replaced, .orphaned, .down:
                feed.nudge()
            default:
                break
            }
            inbox.send(.events([event]))
        }
    }

    private func stopAndClose() {
        guard
            outcome.withLock({ o -> Bool in
                defer { o.stopped = true }
                return !o.stopped
            })
        else { return }
        drills.stop()
        load.detach()
        feed.detach()
        if let stack = live.withLock({ $0 }) {
            let ending = stack.close()
            outcome.withLock {
                $0.report = ending.report
                $0.detached = ending == .detached
            }
        }
        inbox.close()
    }

    /// Carries out an operation key (`r`, `R`, `<`, `>`, `D`); a `fault` event says what went
    /// out, an `error` event why not, or what a command that failed printed.
    private func operate(_ op: ComponentOperation, component: String, bumpVersion: Bool) {
        guard let stack = live.withLock({ $0 }), !quitRequested.isSet else { return }
        let inbox = self.inbox
        let executor = OperationExecutor(live: stack)
        let recipe = executor.recipe(op, component: component)
        do {
            var note = ""
            if bumpVersion {
                let file = AppVersionFile(runDir: stack.runDir)
                let next = file.current() + 1
                try file.write(next)
                note = "app version \(next) written; "
            }
            let components = stack.snapshot().components
            var rootPid: Int32?
            if case let .signalRoot(c, _) = recipe.method {
                rootPid =
                    components.first { $0.name == c }?.processes
                    .filter { $0.depth == 0 && !$0.orphaned && $0.role != .worker }.min {
                        $0.firstSeenMs < $1.firstSeenMs
                    }?.pid
            }
            let started = try executor.start(recipe, rootPid: rootPid, components: components) { at, output, failed in
                guard failed else { return }
                inbox.send(
                    .events([
                        StackEvent(
                            tMs: at,
                            .error(
                                message: "\(op.title) of \(component) failed: \(output ?? "no output")",
                                logTail: []), component: component)
                    ]))
            }
            var event = started.event
            if case let .fault(action, detail) = event.kind, detail.isEmpty {
                event.kind = .fault(action: action, detail: note + recipe.how)
            }
            inbox.send(.events([event]))
        } catch {
            inbox.send(
                .events([StackEvent(tMs: nowMs, .error(message: error.description, logTail: []), component: component)])
            )
        }
    }

    /// Sends a fault command's signal if its target is a live process of the stack; either
    /// way a `fault` event tells the timeline what was done (or refused, and why).
    private func inject(_ command: Command) {
        guard let target = FaultTarget.target(of: command) else { return }
        let signal: Signal
        if case let .signal(_, s, _) = command { signal = s } else { signal = .kill }
        guard let stack = live.withLock({ $0 }), !quitRequested.isSet else {
            inbox.send(
                .events([
                    FaultInjector.event(
                        signal.name, target.pid, component: target.component, role: nil,
                        detail: "refused: no stack running", tMs: nowMs)
                ]))
            return
        }
        if readOnly.withLock({ $0 }) {
            inbox.send(
                .events([
                    FaultInjector.event(
                        signal.name, target.pid, component: target.component, role: nil,
                        detail: "refused: attached with --read-only", tMs: nowMs)
                ]))
            return
        }
        let outcome = FaultInjector(live: stack).send(
            signal.number, name: signal.name, to: target.pid,
            component: target.component, root: target.root)
        inbox.send(.events([outcome.event]))
    }
}
