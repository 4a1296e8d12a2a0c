import Dashboard
import Dispatch
import Glibc
import Runtime
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

    /// Carries out one command of the dashboard (on the curses thread: returns at once).
    func perform(_ command: Command) {
        switch command {
        case .signal, .killMaster, .killFront:
            queue.async { self.inject(command) }
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
                inbox.send(.drillFinished(DrillOutcome(scenario: scenario, verdict: .failed,
                                                       summary: "no stack running")))
                return
            }
            drills.start(scenario, rate: rate, on: stack, ready: { [load] in load.settle() },
                         shouldStop: { [quitRequested] in quitRequested.isSet || SignalTrap.pending != nil })
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
        outcome.withLock { $0.stackName = ready.topology.name; $0.runDir = ready.context.runDir }
        inbox.send(.configFiles(ready.plan.files))
        let stopwatch = Stopwatch()
        clock.withLock { $0 = stopwatch }
        let sink: EventSink = { [inbox, feed, drills] event in
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
        do {
            let stack = try LiveStack.launch(ready, events: sink, shouldStop: { [quitRequested] in
                quitRequested.isSet || SignalTrap.pending != nil
            }, clock: stopwatch)
            live.withLock { $0 = stack }
            feed.attach(stack)
            load.attach(stack, rate: ready.topology.traffic.rate, inbox: inbox)
            // The launch's code is done with: keep resident only what watching uses.
            ResidentMemory.dropStartupCode(afterMs: 3000)
        } catch {
            // The launcher reported the failure as events and stopped what it had started.
            outcome.withLock { $0.launchFailed = true }
            if !(error is LiveStack.LaunchFailed) {
                inbox.send(.events([StackEvent(tMs: stopwatch.elapsedMs, .error(message: "\(error)", logTail: []))]))
            }
        }
    }

    private func stopAndClose() {
        guard outcome.withLock({ o -> Bool in
            defer { o.stopped = true }
            return !o.stopped
        }) else { return }
        drills.stop()
        load.detach()
        feed.detach()
        if let stack = live.withLock({ $0 }) {
            let report = stack.stop()
            outcome.withLock { $0.report = report }
        }
        inbox.close()
    }

    /// Sends a fault command's signal if its target is a live process of the stack; either
    /// way a `fault` event tells the timeline what was done (or refused, and why).
    private func inject(_ command: Command) {
        guard let target = FaultTarget.target(of: command) else { return }
        let signal: ProcessSignal
        if case let .signal(_, s, _) = command { signal = s } else { signal = .kill }
        guard let stack = live.withLock({ $0 }), !quitRequested.isSet else {
            inbox.send(.events([FaultInjector.event(signal.name, target.pid, component: target.component, role: nil,
                                                    detail: "refused: no stack running", tMs: nowMs)]))
            return
        }
        let outcome = FaultInjector(live: stack).send(signal.number, name: signal.name, to: target.pid,
                                                      component: target.component, root: target.root)
        inbox.send(.events([outcome.event]))
    }
}
