import ArgumentParser
import Runtime

/// `stacktop list`: the topologies in topologies/ and whether this machine can run each.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the topologies and whether this machine can run each.",
        discussion: """
        A topology cannot run when its file is invalid (the first error is shown; `stacktop check` \
        shows all) or when a server it needs is missing (with the command that installs it).
        """
    )

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let survey = try await MachineSurvey.take()
        let listing = DoctorListing(files: survey.files, statuses: survey.statuses)
        print(json ? listing.json.encoded : listing.text, terminator: json ? "\n" : "")
        if listing.exitCode != 0 { throw ExitCode(listing.exitCode) }
    }
}
