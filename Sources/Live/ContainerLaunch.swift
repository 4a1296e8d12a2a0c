import Foundation
import Runtime
import StackRecipes

/// Wires a container stack into the launcher: podman with the project's containers.conf, the
/// image build(s) (cached by the hash of their inputs) before anything starts, container (and
/// pod) names unique to this launch, and their removal when the stack stops.
public enum ContainerLaunch {
    public static func configure(_ launcher: inout StackLauncher, _ prepared: LiveStack.Prepared) {
        let engine = ContainerEngine(paths: prepared.source.paths)
        launcher.containerEngine = engine
        launcher.stopper.containerEngine = engine
        if prepared.topology.containerLayout == .pod { return configurePod(&launcher, prepared, engine: engine) }
        let topology = prepared.topology.name
        let root = prepared.plan.processes.first { $0.launchedBy == nil }?.component ?? topology
        let runDir = prepared.context.runDir
        let appDirectory = prepared.hostAppDirectory
        let shouldStop = launcher.shouldStop
        launcher.placeContainer = { progress throws(LaunchError) in
            guard engine.isInstalled else {
                throw LaunchError.containerFailed(
                    component: root,
                    detail: "\(engine.podman) is not installed: run scripts/install-components --containers")
            }
            let image: String
            var images = ContainerImages(engine: engine)
            images.shouldStop = shouldStop
            do throws(ContainerImages.BuildError) {
                image = try images.ensureStack(
                    topology: topology, appDirectory: appDirectory,
                    progress: progress)
            } catch {
                if shouldStop() { throw LaunchError.interrupted }
                throw LaunchError.containerFailed(
                    component: root, detail: ([error.description] + error.logTail).joined(separator: " | "))
            }
            let name = containerName(topology: topology, runDir: runDir)
            return ContainerPlacement(name: name, image: image, cidfile: runDir + "/run/" + name + ".cid")
        }
    }

    /// `container: pod`: one image per component stacktop starts (an app server's with the app),
    /// one pod named after the run dir, one container `POD-COMPONENT` each.
    public static func configurePod(
        _ launcher: inout StackLauncher, _ prepared: LiveStack.Prepared, engine: ContainerEngine
    ) {
        let topology = prepared.topology.name
        let roots = prepared.plan.processes.filter { $0.launchedBy == nil }.map {
            (component: $0.component, app: $0.kind.role == .app)
        }
        let runDir = prepared.context.runDir
        let appDirectory = prepared.hostAppDirectory
        let shouldStop = launcher.shouldStop
        launcher.placePod = { progress throws(LaunchError) in
            let first = roots.first?.component ?? topology
            guard engine.isInstalled else {
                throw LaunchError.containerFailed(
                    component: first,
                    detail: "\(engine.podman) is not installed: run scripts/install-components --containers")
            }
            var images = ContainerImages(engine: engine)
            images.shouldStop = shouldStop
            let podName = containerName(topology: topology, runDir: runDir)
            let pod = PodPlacement.Identity(name: podName, idFile: runDir + "/run/" + podName + ".podid")
            var containers: [String: ContainerPlacement] = [:]
            for root in roots {
                let image: String
                do throws(ContainerImages.BuildError) {
                    image = try images.ensureComponent(
                        topology: topology, component: root.component,
                        appDirectory: root.app ? appDirectory : nil, progress: progress)
                } catch {
                    if shouldStop() { throw LaunchError.interrupted }
                    throw LaunchError.containerFailed(
                        component: root.component,
                        detail: ([error.description] + error.logTail).joined(separator: " | "))
                }
                let name = podName + "-" + root.component.lowercased()
                containers[root.component] = ContainerPlacement(
                    name: name, image: image, cidfile: runDir + "/run/" + name + ".cid", pod: pod)
            }
            return PodPlacement(identity: pod, containers: containers)
        }
    }

    /// `stacktop-TOPOLOGY-RUNDIRSUFFIX`: unique per launch (the run dir's own name is) and
    /// recognisable in `podman ps`.
    public static func containerName(topology: String, runDir: String) -> String {
        let leaf = (runDir as NSString).lastPathComponent.lowercased()
        let clean = String(
            leaf.unicodeScalars.map {
                CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == "." ? Character($0) : "-"
            })
        return "stacktop-" + clean
    }
}
