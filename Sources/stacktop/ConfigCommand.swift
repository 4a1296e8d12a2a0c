import ArgumentParser
import Foundation
import Live
import Runtime
import StackModel
import StackRecipes

/// `stacktop config TOPOLOGY --out DIR`: writes the configs a launch would use, without launching.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Write the generated server configs of a topology into a directory.",
        discussion: """
            DIR plays the part of the run dir: the configs refer to paths inside it, so the stack \
            can be started by hand from there with the commands printed at the end. Ports set to \
            'auto' are chosen now (free at this moment); a later launch chooses again.
            """
    )

    @Argument(help: "A topology name from topologies/ or a path to a topology file.")
    var topology: String

    @Option(
        name: .customLong("out"), help: ArgumentHelp("Directory to write into (created if missing).", valueName: "DIR"))
    var out: String

    func run() throws {
        let loaded: TopologySource
        do { loaded = try TopologySource.load(topology) } catch { throw CLIError("\(error)") }
        let directory = URL(
            fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        .standardizedFileURL.path
        let preparation = LaunchPreparation(paths: loaded.paths)
        let plan: Plan
        let context: LaunchContext
        do {
            context = try preparation.configContext(loaded.topology, directory: directory)
            plan = try Recipes.plan(for: loaded.topology, context: context)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var layout = plan
            layout.directories = RunDirLayout.topLevel + plan.directories.filter { !RunDirLayout.topLevel.contains($0) }
            try RunDirectory.write(layout, into: directory)
        } catch {
            throw CLIError("\(loaded.topology.name): \(error)")
        }
        for file in plan.files {
            print("wrote \(directory)/\(file.path)  (\(file.component))")
        }
        let automatic = PortAssignment.automatic(loaded.topology)
        for name in automatic.sorted() {
            if let port = context.ports[name] {
                print("port \(port) for \(name): chosen now because it is 'auto' (free at this moment)")
            }
        }
        print("front door: \(plan.frontDoorURL)")
        print("health check: GET \(plan.healthURL) (app.health; any answer below 500 = healthy, 5xx = unhealthy)")
        print("to start it by hand, in order (each in its own terminal):")
        for spec in plan.processes where spec.launchedBy == nil {
            let env = spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(ShellText.quote($0.value))" }
            print(
                "  cd \(ShellText.quote(spec.workingDirectory)) && env -i \(env.joined(separator: " ")) "
                    + spec.argv.map(ShellText.quote).joined(separator: " "))
        }
    }
}

/// Quotes words for display as a shell command a person may paste (stacktop itself never uses a shell).
enum ShellText {
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
