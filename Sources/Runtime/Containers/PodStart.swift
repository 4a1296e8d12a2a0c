import StackRecipes

/// Creates a `container: pod` stack's pod (on the host's network namespace) before its
/// components' containers start in it; the reaper learns the pod's id file first, so a kill -9
/// of stacktop removes the pod and every container in it.
struct PodStart: Sendable {
    var registry: any CleanupRegistry
    var engine: ContainerEngine?

    /// Creates `pod`; on failure nothing of it is left and the error names `component` (the
    /// first component that would have run in it).
    func create(_ pod: PodPlacement, runDir: String, component: String) throws(LaunchError) {
        guard let engine else {
            throw LaunchError.containerFailed(component: component, detail: "no container engine was configured")
        }
        let id = pod.identity
        registry.record(.pod(idFile: id.idFile, name: id.name, config: engine.config))
        let created = engine.run(pod.createArguments(runDir: runDir), timeoutSeconds: 60)
        guard created.ok else {
            engine.removePod(idFile: id.idFile, name: id.name)
            // podman builds the pod's infra image from catatonit the first time.
            let hint =
                created.output.contains("catatonit")
                ? " (install catatonit: scripts/install-components --containers)" : ""
            throw LaunchError.containerFailed(
                component: component,
                detail: "podman pod create exited with \(created.status): " + created.tail(3).joined(separator: " | ")
                    + hint)
        }
    }
}
