import Glibc
import StackRecipes
import Supervision

/// Stops a stack: components in reverse start order, each with its graceful signal, then
/// SIGKILL for whatever is still alive in the stack's sessions.
public struct StackStopper: Sendable {
    public var table: any ProcessTable
    public var registry: any CleanupRegistry
    public var probe: ReadinessProbe
    /// The longest one component gets to exit after its stop signal (its spec's `stopTimeout`
    /// applies when shorter).
    public var gracefulTimeoutMs: Int
    /// How long the final SIGKILL sweep may take.
    public var sweepTimeoutMs: Int
    /// podman, to remove the containers (and pods) of container stacks after they stopped.
    public var containerEngine: ContainerEngine?

    public init(
        table: any ProcessTable = LinuxProcessTable(), registry: any CleanupRegistry,
        probe: ReadinessProbe = ReadinessProbe(), gracefulTimeoutMs: Int = 5000, sweepTimeoutMs: Int = 3000
    ) {
        self.table = table
        self.registry = registry
        self.probe = probe
        self.gracefulTimeoutMs = gracefulTimeoutMs
        self.sweepTimeoutMs = sweepTimeoutMs
        self.containerEngine = nil
    }

    /// What a stop did.
    public struct Report: Sendable, Equatable {
        /// Milliseconds from the first stop signal until no process of the stack was alive.
        public var durationMs: Int
        /// Components that did not exit on their graceful signal in time.
        public var forcedComponents: [String]
        /// Processes that had to be SIGKILLed.
        public var killedProcesses: Int
        /// Processes still alive after everything (should always be empty).
        public var survivors: [Int32]
        public var clean: Bool { forcedComponents.isEmpty && killedProcesses == 0 && survivors.isEmpty }
    }

    /// Stops `components` (those stacktop spawned; the others stop with their launcher) and
    /// emits `stopped`. Safe to call with a partially launched stack.
    @discardableResult
    public func stop(_ components: [LaunchedComponent], clock: Stopwatch, events: EventSink) -> Report {
        let took = Stopwatch()
        var forced: [String] = []
        var killed = 0
        for component in components.reversed() {
            guard let process = component.process, let sid = component.session else { continue }
            if stopGracefully(component.spec, process: process, session: sid, inContainer: component.container != nil) {
                continue
            }
            forced.append(component.spec.component)
            let outcome = SessionSweeper(table: table, timeoutMs: 1000).sweep(sessions: [sid])
            killed += outcome.killed.count
        }
        let sessions = Set(components.compactMap(\.session))
        let last = SessionSweeper(table: table, timeoutMs: sweepTimeoutMs).sweep(sessions: sessions)
        killed += last.killed.count
        for component in components {
            _ = component.process?.wait(timeoutMs: 200)
            if let sid = component.session, last.survivors.isEmpty { registry.record(.release(sid)) }
        }
        for component in components {
            if let c = component.container { containerEngine?.remove(cidfile: c.cidfile, name: c.name) }
        }
        // A pod's own (infra) container goes with the pod.
        var pods: [PodPlacement.Identity] = []
        for pod in components.compactMap(\.container?.pod) where !pods.contains(pod) { pods.append(pod) }
        for pod in pods { containerEngine?.removePod(idFile: pod.idFile, name: pod.name) }
        let report = Report(
            durationMs: took.elapsedMs, forcedComponents: forced, killedProcesses: killed,
            survivors: last.survivors)
        events(StackEvent(tMs: clock.elapsedMs, .stopped(clean: report.clean, detail: StackStopper.describe(report))))
        return report
    }

    /// Sends the component's stop signal and waits until its root has exited and its session is
    /// empty. Returns false on timeout.
    /// A container's root is its PID 1, which ignores a signal it has no handler for yet (one
    /// still booting): `inContainer` sends the stop signal again every 250 ms until it takes.
    func stopGracefully(
        _ spec: ProcessSpec, process: ChildProcess, session: Int32, inContainer: Bool = false
    ) -> Bool {
        if process.hasExited {
            // Its root died earlier (a drill killed it): what is left are orphans nobody will
            // tell to stop; they are killed at once rather than waited for.
            return table.liveMembers(ofSessions: [session]).isEmpty
        }
        process.send(spec.stopSignal.number)
        if spec.stopNeedsRequest { probe.poke(spec.readiness) }
        let waited = Stopwatch()
        var lastPoke = 0
        let limit = min(gracefulTimeoutMs, max(1, spec.stopTimeout) * 1000)
        while waited.elapsedMs < limit {
            if process.hasExited && table.liveMembers(ofSessions: [session]).isEmpty { return true }
            if (spec.stopNeedsRequest || inContainer) && waited.elapsedMs - lastPoke >= 250 {
                lastPoke = waited.elapsedMs
                if spec.stopNeedsRequest { probe.poke(spec.readiness) }
                if inContainer && !process.hasExited { process.send(spec.stopSignal.number) }
            }
            Stopwatch.sleep(ms: 10)
        }
        return false
    }

    /// One line for the `stopped` event.
    public static func describe(_ r: Report) -> String {
        var text = "stopped in \(r.durationMs) ms"
        if !r.forcedComponents.isEmpty {
            text += "; \(r.forcedComponents.joined(separator: ", ")) did not stop gracefully"
        }
        if r.killedProcesses > 0 { text += "; SIGKILLed \(r.killedProcesses) process(es)" }
        if !r.survivors.isEmpty {
            text += "; still alive: " + r.survivors.map(String.init).joined(separator: " ")
        }
        return text
    }
}
