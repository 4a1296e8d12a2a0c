import ArgumentParser
import Foundation
import Live
import Runtime
import StackModel
import StackRecipes

/// `stacktop export TOPOLOGY --compose DIR`: a Containerfile and a compose.yaml that run the
/// stack without stacktop (podman-compose, or docker compose with the base image loaded).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a container topology as Containerfile(s) and a compose.yaml.",
        discussion: """
            The image holds the same server configs stacktop writes for a launch (rendered for the \
            run dir /stack inside it) and the app. container: pod gives one Containerfile.COMPONENT \
            and one service per component, sharing /stack/run through a volume. Containers use the \
            host network, so the front \
            door is a loopback port chosen now (or the topology's fixed one). The base image is \
            stacktop's offline Debian image, built now if missing (mmdebstrap: 30 s to a few minutes). \
            Run it with: cd DIR && CONTAINERS_CONF=$PWD/containers.conf podman-compose up -d --build
            """
    )

    @Argument(help: "A topology name from topologies/ or a path to a topology file (with container: true or pod).")
    var topology: String

    @Option(
        name: .customLong("compose"),
        help: ArgumentHelp("Directory to write into (created if missing).", valueName: "DIR"))
    var compose: String

    func run() throws {
        let loaded: TopologySource
        do { loaded = try TopologySource.load(topology) } catch { throw CLIError("\(error)") }
        guard let layout = loaded.topology.containerLayout else {
            throw CLIError(
                "\(loaded.topology.name): export --compose needs a topology with container: true or container: pod")
        }
        let directory = URL(
            fileURLWithPath: compose, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        .standardizedFileURL.path
        let engine = ContainerEngine(paths: loaded.paths)
        guard engine.isInstalled else {
            throw CLIError("\(engine.podman) is not installed: run scripts/install-components --containers")
        }
        let base: String
        do throws(ContainerImages.BuildError) {
            base = try ContainerImages(engine: engine).ensureBase { _, detail in print("base image: \(detail)") }
        } catch {
            throw CLIError("base image: \(error)" + error.logTail.map { "\n  | " + $0 }.joined())
        }
        let files: [ComposeExport.File]
        do {
            var context = try LaunchPreparation(paths: loaded.paths).configContext(
                loaded.topology, directory: ComposeExport.runDir)
            context.runningAsRoot = true
            let (topology, adapted) = ContainerImage.adapt(loaded.topology, context: context)
            let plan = try Recipes.plan(for: topology, context: adapted)
            files = try ComposeExport.files(plan: plan, base: base, topology: loaded.topology.name, layout: layout)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for f in files {
                let path = directory + "/" + f.path
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try f.contents.write(toFile: path, atomically: true, encoding: .utf8)
            }
            let app = directory + "/app"
            try? FileManager.default.removeItem(atPath: app)
            try FileManager.default.copyItem(atPath: loaded.topology.app.directory, toPath: app)
            let conf = directory + "/containers.conf"
            try? FileManager.default.removeItem(atPath: conf)
            try FileManager.default.copyItem(atPath: engine.config, toPath: conf)
            print("front door: \(plan.frontDoorURL)")
        } catch {
            throw CLIError("\(loaded.topology.name): \(error)")
        }
        for f in files where !f.path.hasPrefix("stack/") { print("wrote \(directory)/\(f.path)") }
        print(
            "wrote \(directory)/stack/ (\(files.filter { $0.path.hasPrefix("stack/") }.count) configs), app/, containers.conf"
        )
        print(
            "run it: cd \(ShellText.quote(directory)) && CONTAINERS_CONF=$PWD/containers.conf podman-compose up -d --build  (podman-compose >= 1.0.6: .venv/bin/podman-compose)"
        )
    }
}
