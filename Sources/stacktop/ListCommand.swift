import ArgumentParser
import Installation
import Runtime

/// `stacktop list [TOPOLOGY]`: the topologies in topologies/ (or the one given) and whether this
/// machine can run each.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the topologies and whether this machine can run each.",
        discussion: """
            A topology cannot run when its file is invalid (the first error is shown; `stacktop check` \
            shows all) or when a server it needs is missing (with the command that installs it). \
            With TOPOLOGY (a name or a path), only that one is listed, and its Python servers are \
            looked for in the venv it runs with (its `app.venv`, else the project's .venv).
            """
    )

    @Argument(help: "A topology name from topologies/ or a path: list only it, checking its venv.")
    var topology: String?

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let listing: DoctorListing
        if let topology {
            let target = try await TopologyVenv.probe(topology)
            listing = DoctorListing(
                files: [DoctorListing.File(path: target.topology.sourcePath, result: .success(target.topology))],
                statuses: target.statuses, ownVenv: target.isOwnVenv ? target.venv : nil)
        } else {
            let survey = try await MachineSurvey.take()
            listing = DoctorListing(files: survey.files, statuses: survey.statuses)
        }
        print(json ? listing.json.encoded : listing.text, terminator: json ? "\n" : "")
        if listing.exitCode != 0 { throw ExitCode(listing.exitCode) }
    }
}
