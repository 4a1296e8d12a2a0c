import StackRecipes
import Supervision

/// Restarts one component stacktop spawned itself (not under supervisord), in place: stops its
/// session the way a stop does (its stop signal, then SIGKILL for whatever is left), then spawns
/// the same process spec in a new session, registered with the reaper before it can fork, and
/// waits until it, the components it starts (mod_wsgi in Apache, flup under lighttpd) and the
/// front door are ready again.
///
/// The caller hands the new root to the watcher (`StackWatcher.adopt`) and keeps it as the
/// component's root from then on, so a stop finds the new session, never the old one.
public struct ComponentRestart: Sendable {
    public var launcher: StackLauncher

    public init(launcher: StackLauncher) {
        self.launcher = launcher
    }

    /// What a restart did.
    public struct Outcome: Sendable {
        /// The component with its new root (also when it did not become ready: it is the
        /// stack's either way, and a stop must find it).
        public var component: LaunchedComponent
        public var oldPid: Int32
        /// Milliseconds from the stop signal until the old session was empty.
        public var stopMs: Int
        /// Milliseconds from the spawn until the component (and the front door) were ready.
        public var startMs: Int
        /// Old processes that had to be SIGKILLed.
        public var killed: Int
        /// Why the new root is not ready, when it is not.
        public var notReady: LaunchError?

        /// One line: "stopped pid 41 in 12 ms, started pid 57, ready after 160 ms".
        public var summary: String {
            var text = "stopped pid \(oldPid) in \(stopMs) ms"
            if killed > 0 { text += " (SIGKILLed \(killed))" }
            text += ", started pid \(component.process?.pid ?? 0)"
            if let notReady { return text + ", not ready: \(notReady)" }
            return text + ", ready after \(startMs) ms"
        }
    }

    /// Why a restart could not be done at all (nothing was started).
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Whether `component` of `plan` can be restarted in place, and why not.
    public static func refusal(_ component: String, plan: Plan) -> String? {
        guard let spec = plan.processes.first(where: { $0.component == component }) else {
            return "there is no component '\(component)'"
        }
        if let host = spec.launchedBy { return "\(component) is started by \(host): restart \(host)" }
        if plan.container != nil {
            return "the stack runs in a container: stacktop restarts only processes it spawned on the host"
        }
        return nil
    }

    /// Stops `name` (one of `components`, the stack's current ones) and starts it again.
    /// `starting`/`ready` events go to `events` as at launch. Throws when nothing could be
    /// started: the old one did not stop, or the spawn failed.
    public func restart(
        _ name: String, components: [LaunchedComponent], plan: Plan, runDir: String,
        clock: Stopwatch, events: EventSink
    ) throws(Refusal) -> Outcome {
        if let why = Self.refusal(name, plan: plan) { throw Refusal(why) }
        guard let index = components.firstIndex(where: { $0.spec.component == name }),
            let old = components[index].process, let session = components[index].session
        else {
            throw Refusal("\(name) has no root process stacktop spawned")
        }
        let spec = components[index].spec
        let stopper = launcher.stopper
        let stopping = Stopwatch()
        var killed = 0
        if !stopper.stopGracefully(spec, process: old, session: session) {
            killed += SessionSweeper(table: stopper.table, timeoutMs: 1000).sweep(sessions: [session]).killed.count
        }
        let last = SessionSweeper(table: stopper.table, timeoutMs: stopper.sweepTimeoutMs).sweep(sessions: [session])
        killed += last.killed.count
        _ = old.wait(timeoutMs: 200)
        guard last.survivors.isEmpty else {
            throw Refusal(
                "\(name): pids \(last.survivors.map(String.init).joined(separator: " ")) of its session survived SIGKILL; not starting it again"
            )
        }
        launcher.registry.record(.release(session))
        let stopMs = stopping.elapsedMs

        let startedMs = clock.elapsedMs
        let process: ChildProcess
        do throws(LaunchError) { process = try launcher.spawn(spec, runDir: runDir) } catch {
            throw Refusal("\(name) was stopped but could not be started again: \(error)")
        }
        events(
            StackEvent(
                tMs: startedMs, .starting(argv: spec.argv, launchedBy: nil), component: name,
                role: spec.roles.root, pid: process.pid))
        var launched = components
        launched[index] = LaunchedComponent(spec: spec, process: process)
        var outcome = Outcome(component: launched[index], oldPid: old.pid, stopMs: stopMs, startMs: 0, killed: killed)
        do throws(LaunchError) {
            try launcher.waitUntilReady(spec, process: process, launched: launched, clock: clock)
            launched[index].readyAfterMs = clock.elapsedMs - startedMs
            outcome.component = launched[index]
            events(
                StackEvent(
                    tMs: clock.elapsedMs, .ready(afterMs: clock.elapsedMs - startedMs, processes: []),
                    component: name, role: spec.roles.root, pid: process.pid))
            for hosted in launched where hosted.spec.launchedBy == name {
                let since = clock.elapsedMs
                try launcher.waitUntilReady(hosted.spec, process: nil, launched: launched, clock: clock)
                events(
                    StackEvent(
                        tMs: clock.elapsedMs,
                        .ready(
                            afterMs: clock.elapsedMs - since, processes: launcher.hostedProcesses(hosted.spec, launched)
                        ),
                        component: hosted.spec.component, role: hosted.spec.roles.root,
                        pid: launcher.hostedRoot(hosted.spec, launched)))
            }
            if let door = FrontDoorCheck(plan: plan) { try launcher.waitUntilAnswering(door, launched: launched) }
        } catch {
            outcome.notReady = error
        }
        outcome.startMs = clock.elapsedMs - startedMs
        return outcome
    }
}
