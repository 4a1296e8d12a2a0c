import Runtime
import Supervision

/// Restarting one component of a launched stack in place (stop + start; see `ComponentRestart`).
extension LiveStack {
    /// Stops component `name` and starts it again, hands its new root to the watcher and keeps
    /// it as the component's root (a later stop stops the new session). Blocks until the new
    /// root is ready (or not): call it off the dashboard's thread. Returns one line on what
    /// happened; throws when it could not be done, or was refused.
    public func restartInPlace(_ name: String) throws(CLIError) -> String {
        guard case let .launched(prepared, launcher, _) = control else {
            throw CLIError("\(name): stacktop restarts only stacks it launched")
        }
        return try whileOpen { () throws(CLIError) -> String in
            if let why = ComponentRestart.refusal(name, plan: prepared.plan) { throw CLIError("\(name): \(why)") }
            let hosted = stack.plan.processes.filter { $0.launchedBy == name }.map(\.component)
            watcher.stopping(component: name)
            for h in hosted { watcher.stopping(component: h) }
            let outcome: ComponentRestart.Outcome
            do {
                outcome = try ComponentRestart(launcher: launcher)
                    .restart(
                        name, components: components, plan: stack.plan, runDir: runDir, clock: stack.clock,
                        events: { [self] in emit($0) })
            } catch {
                watcher.restartFailed(component: name, hosted: hosted)  // else it stays "stopping"
                throw CLIError("\(name): \(error)")
            }
            replace(outcome.component)
            if let process = outcome.component.process {
                watcher.adopt(component: name, process: process, hosted: hosted)
            }
            if let notReady = outcome.notReady { throw CLIError("\(name): \(outcome.summary) (\(notReady))") }
            return outcome.summary
        }
    }
}
