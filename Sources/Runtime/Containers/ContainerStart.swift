import Foundation
import StackRecipes
import Supervision

/// Starts a `container: true` stack's root component in its container and adopts the
/// container's PID 1 (the root, as the host sees it) as the component's process.
///
/// runc makes the container's PID 1 a session leader, so the stack's processes live in one
/// session, as a host-launched root's do: the watcher, the stopper and the reaper find them the
/// same way. The reaper also learns the container's cidfile before podman runs, so a kill -9 of
/// stacktop removes the container too.
struct ContainerStart: Sendable {
    var table: any ProcessTable
    var registry: any CleanupRegistry
    var engine: ContainerEngine?

    func start(_ spec: ProcessSpec, in placement: ContainerPlacement, runDir: String) throws(LaunchError)
        -> ChildProcess
    {
        guard let engine else {
            throw LaunchError.containerFailed(component: spec.component, detail: "no container engine was configured")
        }
        registry.record(.container(cidfile: placement.cidfile, name: placement.name, config: engine.config))
        let run = engine.run(placement.runArguments(spec, runDir: runDir), timeoutSeconds: 60)
        guard run.ok else {
            throw LaunchError.containerFailed(
                component: spec.component,
                detail: "podman run exited with \(run.status): " + run.tail(3).joined(separator: " | "))
        }
        let pid = engine.initPid(placement.name)
        guard pid > 1, let record = table.record(of: pid) else {
            throw LaunchError.containerFailed(
                component: spec.component, detail: "podman reports no running PID 1 for \(placement.name)")
        }
        registry.record(.session(record.sid))
        registry.record(.process(ProcessIdentity(pid: pid, startTime: record.startTimeTicks)))
        let name = placement.name
        return ChildProcess(adopting: pid, startTimeTicks: record.startTimeTicks) {
            // podman records 128+N for a PID 1 killed by signal N.
            let code = engine.exitCode(name) ?? 0
            return code > 128 && code < 160 ? .signaled(code - 128) : .exited(code)
        }
    }
}
