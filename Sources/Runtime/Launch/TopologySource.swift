import Foundation
import StackFiles
import StackModel

/// Finds and loads the topology a command names: a name from `topologies/` or a path.
public struct TopologySource: Sendable {
    public var paths: ProjectPaths
    public var topology: Topology

    /// Locates the project, resolves `nameOrPath` and loads it with the stack rules applied.
    public static func load(
        _ nameOrPath: String,
        paths discovered: ProjectPaths? = ProjectPaths.discover()
    ) throws(TopologySourceError) -> TopologySource {
        guard let paths = discovered else { throw .noProject }
        guard let file = paths.topologyFile(nameOrPath) else {
            let known = paths.topologyFiles().map {
                ($0 as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "")
            }
            throw .notFound(nameOrPath, known: known)
        }
        do {
            return TopologySource(
                paths: paths, topology: try TopologyLoader.load(path: file, demoAppDirectory: paths.demoApp))
        } catch {
            throw .invalid(error.diagnostics)
        }
    }
}

/// Why a topology could not be loaded; `description` is what the user reads.
public enum TopologySourceError: Error, Sendable, CustomStringConvertible {
    case noProject
    case notFound(String, known: [String])
    /// Every problem of the file, as FILE:LINE:COL: message.
    case invalid([Diagnostic])

    public var description: String {
        switch self {
        case .noProject:
            return
                "cannot find the stacktop project (a directory with topologies/): run stacktop from it or set STACKTOP_HOME"
        case let .notFound(name, known):
            let list = known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"
            return "no topology '\(name)': not a file and not in topologies/\(list)"
        case let .invalid(diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        }
    }
}
