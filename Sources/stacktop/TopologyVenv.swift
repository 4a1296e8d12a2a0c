import Installation
import Live
import Runtime
import StackModel

/// A topology and the installation probed for it: the servers of this machine and the Python
/// packages of the venv it runs with (its own `app.venv`, else the project's).
struct TopologyVenv {
    var paths: ProjectPaths
    var topology: Topology
    var venv: String
    var statuses: [InstallationStatus]

    var isOwnVenv: Bool { venv != paths.venv }

    static func probe(_ nameOrPath: String) async throws -> TopologyVenv {
        let source: TopologySource
        do { source = try TopologySource.load(nameOrPath) } catch { throw CLIError("\(error)") }
        let topology = source.topology
        let venv = topology.app.venv ?? source.paths.venv
        var probe = InstallationProbe(venv: venv)
        probe.requireDebianPython = topology.components.contains { $0.kind == .modWSGI || $0.kind == .uwsgi }
        let needs = Set(InstallationComponent.needed(by: topology))
        let statuses = await probe.statuses().filter { needs.contains($0.component) }
        return TopologyVenv(paths: source.paths, topology: topology, venv: venv, statuses: statuses)
    }

    func report(topologyArgument: String) -> DoctorReport {
        DoctorReport(
            statuses: statuses,
            topologies: [
                DoctorReport.TopologyNeeds(name: topology.name, needs: InstallationComponent.needed(by: topology))
            ],
            venv: venv, ownVenvTopology: isOwnVenv ? topologyArgument : nil)
    }
}
