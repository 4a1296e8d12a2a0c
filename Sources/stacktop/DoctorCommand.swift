import ArgumentParser
import Foundation
import Installation
import Runtime
import StackModel

/// `stacktop doctor [TOPOLOGY] [--fix]`: which servers are installed here, their versions, and
/// how to install the rest; with TOPOLOGY, for the venv that topology runs with.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which servers are installed, their versions, and how to install the rest.",
        discussion: """
            Exits 0 when every component is present, 1 when something is missing. A missing \
            component lists the command that installs it and the topologies it rules out.

            With TOPOLOGY, only what that topology needs is shown, and the Python servers \
            (gunicorn, waitress, flup, Flask/Werkzeug) are looked for in the venv it runs with: its \
            `app.venv`, else the project's .venv. --fix installs the missing ones into that venv with \
            its own pip, at the versions of scripts/requirements.txt. It installs nothing else: \
            Debian packages need apt-get as root, and a missing venv is yours to create, with your app.
            """
    )

    @Argument(help: "A topology name from topologies/ or a path: check the venv it runs with.")
    var topology: String?

    @Flag(name: .long, help: "With TOPOLOGY: pip-install the Python servers it needs that its venv lacks.")
    var fix = false

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        if fix && topology == nil {
            throw ValidationError(
                "--fix needs a TOPOLOGY: it installs into the venv that topology runs with (the project's own venv: scripts/install-components)"
            )
        }
    }

    func run() async throws {
        guard let topology else {
            let survey = try await MachineSurvey.take()
            let needs = survey.files.compactMap { file -> DoctorReport.TopologyNeeds? in
                guard case let .success(topology) = file.result else { return nil }
                return DoctorReport.TopologyNeeds(
                    name: topology.name, needs: InstallationComponent.needed(by: topology))
            }
            let report = DoctorReport(statuses: survey.statuses, topologies: needs, venv: survey.paths.venv)
            print(json ? report.json.encoded : report.text, terminator: json ? "\n" : "")
            if !json { print(ContainerCache(engine: ContainerEngine(paths: survey.paths)).summary) }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
            return
        }
        let target = try await TopologyVenv.probe(topology)
        var report = target.report(topologyArgument: topology)
        if fix {
            let missing = report.missing.map(\.component).filter { !$0.pinnedRequirements.isEmpty }
            if report.missing.contains(where: { $0.component == .venv }) {
                FileHandle.standardError.write(
                    Data(
                        "doctor: \(target.venv) is not a usable venv, so --fix installs nothing: \(report.missing.first { $0.component == .venv }?.problem ?? "")\n"
                            .utf8))
            } else if !missing.isEmpty {
                let pins = missing.flatMap(\.pinnedRequirements)
                FileHandle.standardError.write(
                    Data("doctor: installing \(pins.joined(separator: " ")) into \(target.venv) (pip)\n".utf8))
                let pip = InstallationCommand(
                    target.venv + "/bin/python",
                    ["-m", "pip", "install", "--disable-pip-version-check", "-q"] + pins,
                    timeout: 600)
                guard let result = await pip.run(), result.status == 0 else {
                    FileHandle.standardError.write(Data("doctor: pip install into \(target.venv) failed\n".utf8))
                    throw ExitCode.failure
                }
                report = try await TopologyVenv.probe(topology).report(topologyArgument: topology)
            }
        }
        print(json ? report.json.encoded : report.text, terminator: json ? "\n" : "")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
