import ArgumentParser
import Foundation
import Runtime
import StackModel

/// `stacktop check FILE...`: validates topology files and prints every problem as FILE:LINE:COL.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate topology files.",
        discussion: """
        Reads each FILE and checks it against the topology schema and the stack rules \
        (one front door, loopback hosts, valid ports, what each server kind can do). \
        Every problem is printed to standard error as FILE:LINE:COL: message; a good file \
        prints "FILE: ok (N components)" to standard output. Exits with status 1 if any file \
        has a problem.
        """
    )

    @Argument(help: ArgumentHelp("Topology files to check (YAML).", valueName: "FILE"))
    var files: [String]

    func run() throws {
        let project = ProjectPaths.discover()
        var failed = false
        for file in files {
            let demo = project?.demoApp
                ?? URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("apps/demo").path
            do {
                let topology = try TopologyLoader.load(path: file, demoAppDirectory: demo)
                let n = topology.components.count
                print("\(file): ok (\(n) component\(n == 1 ? "" : "s"))")
            } catch {
                failed = true
                for diagnostic in error.diagnostics {
                    FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
                }
            }
        }
        if failed { throw ExitCode.failure }
    }
}
