import Glibc
import Installation
import StackModel
import StackRecipes

/// Everything a launch needs before the recipes run: the venv is there, ports are chosen,
/// the run dir exists (and old ones are pruned). Produces the `LaunchContext`.
public struct LaunchPreparation: Sendable {
    public var paths: ProjectPaths
    public var runDirectories: RunDirectory
    public var ports: PortAssignment
    public var tools: Toolchain

    public init(
        paths: ProjectPaths, runDirectories: RunDirectory = RunDirectory(),
        ports: PortAssignment = PortAssignment(), tools: Toolchain = Toolchain()
    ) {
        self.paths = paths
        self.runDirectories = runDirectories
        self.ports = ports
        self.tools = tools
    }

    /// The venv the stack's Python servers use: the topology's own, else the project's.
    public func venv(for topology: Topology) -> String {
        topology.app.venv ?? paths.venv
    }

    /// Checks the venv, chooses ports, creates a fresh run dir and prunes old ones. Launches use
    /// `prepareLaunch`, which also makes what the server users load readable to them.
    func prepare(_ topology: Topology) throws(PreparationError) -> LaunchContext {
        let venv = venv(for: topology)
        let problems = AppPreflight(venv: venv, isProjectVenv: venv == paths.venv).quickDiagnostics(topology)
        guard problems.isEmpty else { throw .app(problems) }
        let chosen: [String: Int]
        do { chosen = try ports.assign(topology) } catch { throw .port(error) }
        let runDir: String
        do { runDir = try runDirectories.create(topology: topology.name) } catch {
            throw .runDirectory("\(error)")
        }
        runDirectories.prune(current: runDir)
        return LaunchContext(
            runDir: runDir, ports: chosen, tools: tools, venv: venv,
            runningAsRoot: geteuid() == 0)
    }

    /// `prepare`, then the adaptations the server users need (see `ServerUserAccess`): the
    /// topology and context the recipes should render.
    public func prepareLaunch(
        _ topology: Topology,
        access: ServerUserAccess = ServerUserAccess()
    ) throws -> (Topology, LaunchContext) {
        let context = try prepare(topology)
        return try access.adapt(topology, context: context)
    }

    /// A context for writing configs into `directory` without launching (`stacktop config`):
    /// the same port choice, but no run dir is created and nothing is pruned.
    public func configContext(_ topology: Topology, directory: String) throws(PreparationError) -> LaunchContext {
        let chosen: [String: Int]
        do { chosen = try ports.assign(topology) } catch { throw .port(error) }
        return LaunchContext(
            runDir: directory, ports: chosen, tools: tools, venv: venv(for: topology),
            runningAsRoot: geteuid() == 0)
    }
}

/// Why a launch could not be prepared.
public enum PreparationError: Error, Sendable, CustomStringConvertible {
    /// The venv or the app dir is missing (at the topology fields at fault).
    case app([Diagnostic])
    case port(PortError)
    case runDirectory(String)

    public var description: String {
        switch self {
        case let .app(diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        case let .port(error):
            return "\(error)"
        case let .runDirectory(detail):
            return "cannot create the run dir: \(detail)"
        }
    }
}
