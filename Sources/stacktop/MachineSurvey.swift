import ArgumentParser
import Installation
import Runtime

/// What `list` and `doctor` both start from: the project, the servers found on this machine and
/// every topology file of `topologies/`, loaded.
struct MachineSurvey {
    var paths: ProjectPaths
    var statuses: [InstallationStatus]
    var files: [DoctorListing.File]

    /// Finds the project, probes the installed servers and loads the topologies.
    static func take() async throws -> MachineSurvey {
        guard let paths = ProjectPaths.discover() else {
            throw ValidationError("cannot find the stacktop project (a directory with topologies/); set STACKTOP_HOME")
        }
        let statuses = await InstallationProbe(venv: paths.venv).statuses()
        let files = DoctorListing.load(paths: paths.topologyFiles(), demoAppDirectory: paths.demoApp)
        return MachineSurvey(paths: paths, statuses: statuses, files: files)
    }
}
