import ArgumentParser
import Foundation
import Installation
import Runtime
import StackFiles
import StackModel

/// `stacktop check FILE...`: validates topology files and prints every problem as FILE:LINE:COL.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate topology files, and what a launch of each would need.",
        discussion: """
            Reads each FILE and checks it against the topology schema and the stack rules \
            (one front door, loopback hosts, valid ports, what each server kind can do). Then, \
            without starting anything, what would make its launch fail: the venv exists and has a \
            Python (made by Debian's python3 for mod_wsgi and uWSGI), the app dir exists, the app's \
            module imports in that venv and has the callable, and the Python servers the stack runs \
            (gunicorn, waitress, flup, Werkzeug) import there. The import runs the app's module, \
            as a launch would, bounded by a timeout. \
            Every problem is printed to standard error as FILE:LINE:COL: message, at the topology \
            field at fault; a good file prints "FILE: ok (N components)" to standard output. \
            Exits with status 1 if any file has a problem.
            """
    )

    @Argument(help: ArgumentHelp("Topology files to check (YAML).", valueName: "FILE"))
    var files: [String]

    @Flag(name: .customLong("schema-only"), help: "Only validate the files; do not look at the venv or the app.")
    var schemaOnly = false

    func run() async throws {
        let project = ProjectPaths.discover()
        var failed = false
        for file in files {
            let demo =
                project?.demoApp
                ?? URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("apps/demo").path
            let topology: Topology
            do {
                topology = try TopologyLoader.load(path: file, demoAppDirectory: demo)
            } catch {
                failed = true
                Self.report(error.diagnostics)
                continue
            }
            if !schemaOnly, let venv = topology.app.venv ?? project?.venv {
                let preflight = AppPreflight(venv: venv, isProjectVenv: venv == project?.venv)
                let problems = await preflight.diagnostics(topology)
                if !problems.isEmpty {
                    failed = true
                    Self.report(TopologyErrors(problems).diagnostics)
                    continue
                }
            }
            let n = topology.components.count
            print("\(file): ok (\(n) component\(n == 1 ? "" : "s"))")
        }
        if failed { throw ExitCode.failure }
    }

    static func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }
}
