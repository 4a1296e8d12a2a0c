import Dashboard
import Drills
import Foundation
import Live
import Runtime
import StackFiles
import StackModel
import Supervision
import Synchronization
import Terminal

/// The dashboard's drills: the `d` menu's scenarios resolved against the live stack, and one
/// `DrillRunner` at a time on its own thread, its progress and report turned into messages.
///
/// The session forwards every stack event to `observe` (the runner's tracker needs them while
/// it runs). `stop` asks a running drill to end and waits until its cleanups ran (a frozen worker
/// continued, the crash-loop switch removed), so the stack can then be stopped.
final class DashboardDrill: Sendable {
    private struct Running: Sendable {
        var runner: DrillRunner?
        /// Signalled when the drill's thread ended; nil when no drill runs.
        var ended: DispatchSemaphore?
        var stopRequested = false
    }

    private let inbox: DashboardInbox
    private let running = Mutex(Running())

    init(inbox: DashboardInbox) {
        self.inbox = inbox
    }

    /// The scenarios of the project for `live`'s stack, each with why it does not apply now.
    func menu(for live: LiveStack) -> [DrillMenuItem] {
        DrillMenuItem.menu(
            scenarios(for: live), topology: live.topology,
            components: live.snapshot().components)
    }

    /// Built-in scenarios and the project's topologies/scenarios/*.yaml; a broken file is said
    /// on the timeline and the built-ins are offered.
    private func scenarios(for live: LiveStack) -> [DrillScenario] {
        do {
            let topologies = live.prepared?.source.paths.topologies ?? ProjectPaths.discover()?.topologies
            return try DrillScenarios.all(scenariosDir: topologies.map { $0 + "/scenarios" })
        } catch {
            let message = "scenario files: " + error.diagnostics.map(\.description).joined(separator: "; ")
            inbox.send(.events([StackEvent(tMs: live.stack.clock.elapsedMs, .error(message: message, logTail: []))]))
            return DrillScenario.builtIn
        }
    }

    /// Starts `name` at `rate` on its own thread (no-op while a drill runs: the dashboard allows
    /// one at a time). `ready` runs first on that thread (the load switched on by the same key
    /// must have taken effect); `shouldStop` is the session's quit; `finished` runs last.
    func start(
        _ name: String, rate: Int, on live: LiveStack, ready: @escaping @Sendable () -> Void,
        shouldStop: @escaping @Sendable () -> Bool, finished: @escaping @Sendable () -> Void = {}
    ) {
        let ended = DispatchSemaphore(value: 0)
        guard
            running.withLock({ r -> Bool in
                guard r.ended == nil else { return false }
                r = Running(ended: ended)
                return true
            })
        else { return }
        let thread = Thread { [self] in
            let outcome = run(name, rate: rate, on: live, ready: ready, shouldStop: shouldStop)
            // Idle again before the dashboard hears of the end (its next `d` may follow at once).
            running.withLock { $0 = Running() }
            inbox.send(.drillFinished(outcome))
            ended.signal()
            finished()
        }
        thread.name = "stacktop.drill"
        thread.start()
    }

    /// One stack event, for the running drill's tracker.
    func observe(_ event: StackEvent) {
        running.withLock { $0.runner }?.observe(event)
    }

    /// Asks a running drill to end and waits (at most `timeoutMs`) until it did.
    func stop(timeoutMs: Int = 5_000) {
        let ended = running.withLock { r -> DispatchSemaphore? in
            r.stopRequested = true
            return r.ended
        }
        _ = ended?.wait(timeout: .now() + .milliseconds(timeoutMs))
    }

    private var stopRequested: Bool { running.withLock { $0.stopRequested } }

    private func run(
        _ name: String, rate: Int, on live: LiveStack, ready: @Sendable () -> Void,
        shouldStop: @escaping @Sendable () -> Bool
    ) -> DrillOutcome {
        guard let scenario = scenarios(for: live).first(where: { $0.name == name }) else {
            return DrillOutcome(scenario: name, verdict: .failed, summary: "no scenario called \(name)")
        }
        ready()
        let runner = DrillRunner(live: live, scenario: scenario, loadRps: rate)
        running.withLock { $0.runner = runner }
        let stop: @Sendable () -> Bool = { [self] in shouldStop() || stopRequested }
        let result = runner.run(
            progress: { [inbox] p in
                guard p.phase != .done else { return }
                inbox.send(.drillProgress(phase: p.phase.rawValue, detail: p.text))
            }, shouldStop: stop)
        switch result {
        case let .success(report):
            return DrillOutcome(report, stopped: stop())
        case let .failure(refusal):
            return DrillOutcome(
                scenario: name, verdict: stop() ? .interrupted : .refused,
                summary: (stop() ? "stopped: " : "refused: ") + refusal.reason)
        }
    }
}
