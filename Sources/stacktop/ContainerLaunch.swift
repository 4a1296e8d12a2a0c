import Foundation
import Runtime
import StackRecipes

/// Wires a `container: true` stack into the launcher: podman with the project's containers.conf,
/// the image build (cached by the hash of its inputs) before anything starts, a container name
/// unique to this launch, and removal of the container when the stack stops.
enum ContainerLaunch {
    static func configure(_ launcher: inout StackLauncher, _ prepared: LiveStack.Prepared) {
        let engine = ContainerEngine(paths: prepared.source.paths)
        launcher.containerEngine = engine
        launcher.stopper.containerEngine = engine
        let topology = prepared.topology.name
        let root = prepared.plan.processes.first { $0.launchedBy == nil }?.component ?? topology
        let runDir = prepared.context.runDir
        let appDirectory = prepared.hostAppDirectory
        let shouldStop = launcher.shouldStop
        launcher.placeContainer = { progress throws(LaunchError) in
            guard engine.isInstalled else {
                throw LaunchError.containerFailed(component: root, detail: "\(engine.podman) is not installed: run scripts/install-components --containers")
            }
            let image: String
            var images = ContainerImages(engine: engine)
            images.shouldStop = shouldStop
            do throws(ContainerImages.BuildError) {
                image = try images.ensureStack(topology: topology, appDirectory: appDirectory,
                                                                        progress: progress)
            } catch {
                if shouldStop() { throw LaunchError.interrupted }
                throw LaunchError.containerFailed(component: root, detail: ([error.description] + error.logTail).joined(separator: " | "))
            }
            let name = containerName(topology: topology, runDir: runDir)
            return ContainerPlacement(name: name, image: image, cidfile: runDir + "/run/" + name + ".cid")
        }
    }

    /// `stacktop-TOPOLOGY-RUNDIRSUFFIX`: unique per launch (the run dir's own name is) and
    /// recognisable in `podman ps`.
    static func containerName(topology: String, runDir: String) -> String {
        let leaf = (runDir as NSString).lastPathComponent.lowercased()
        let clean = String(leaf.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == "." ? Character($0) : "-" })
        return "stacktop-" + clean
    }
}
