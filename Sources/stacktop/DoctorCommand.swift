import ArgumentParser
import Runtime

/// `stacktop doctor`: which servers are installed here, their versions, and how to install the rest.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which servers are installed, their versions, and how to install the rest.",
        discussion: """
        Exits 0 when every component is present, 1 when something is missing. A missing \
        component lists the command that installs it and the topologies it rules out.
        """
    )

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let survey = try await MachineSurvey.take()
        let needs = survey.files.compactMap { file -> DoctorReport.TopologyNeeds? in
            guard case let .success(topology) = file.result else { return nil }
            return DoctorReport.TopologyNeeds(name: topology.name, needs: InstallationComponent.needed(by: topology))
        }
        let report = DoctorReport(statuses: survey.statuses, topologies: needs, venv: survey.paths.venv)
        print(json ? report.json.encoded : report.text, terminator: json ? "\n" : "")
        if !json { print(ContainerCache(engine: ContainerEngine(paths: survey.paths)).summary) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
