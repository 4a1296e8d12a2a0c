import Foundation

/// Where stacktop's own files are: the project root with `topologies/`, the demo app, the venv.
public struct ProjectPaths: Sendable, Equatable {
    /// The directory holding `topologies/` and `.venv/`.
    public var root: String

    public init(root: String) { self.root = root }

    public var topologies: String { root + "/topologies" }
    public var demoApp: String { root + "/topologies/apps/demo" }
    public var venv: String { root + "/.venv" }
    /// Parent of every run dir: `$STACKTOP_RUNS_DIR` when set, else /tmp/stacktop-runs; outside
    /// the project so servers running as nobody/www-data can reach it.
    public static var runsRoot: String { runsRoot(environment: ProcessInfo.processInfo.environment) }

    /// The run dirs' parent for `environment`: `STACKTOP_RUNS_DIR` (made absolute against the
    /// current directory) when set and not empty. Whoever sets it chooses a directory nginx's
    /// nobody and Apache's www-data can traverse (not a 0700 home).
    public static func runsRoot(
        environment: [String: String],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String {
        guard let custom = environment["STACKTOP_RUNS_DIR"], !custom.isEmpty else { return "/tmp/stacktop-runs" }
        return URL(fileURLWithPath: custom, relativeTo: URL(fileURLWithPath: currentDirectory)).standardizedFileURL.path
    }

    /// The running executable's path: /proc/self/exe, which is right however it was started
    /// (`stacktop` found through PATH has no directory in argv[0]); argv[0] where /proc is missing.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
            ?? ""
    }

    /// Finds the project: `$STACKTOP_HOME`, else the first ancestor of the executable or of the
    /// current directory that holds `topologies/`.
    public static func discover(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String = ProjectPaths.currentExecutable,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> ProjectPaths? {
        if let home = environment["STACKTOP_HOME"], !home.isEmpty {
            return ProjectPaths(root: URL(fileURLWithPath: home).standardizedFileURL.path)
        }
        let exe = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: currentDirectory))
            .resolvingSymlinksInPath()
        for start in [exe.deletingLastPathComponent(), URL(fileURLWithPath: currentDirectory)] {
            var dir = start.standardizedFileURL
            while true {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir.path + "/topologies", isDirectory: &isDir),
                    isDir.boolValue
                {
                    return ProjectPaths(root: dir.path)
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// The topology file for `nameOrPath`: an existing path as given, else `topologies/NAME.yaml`.
    public func topologyFile(_ nameOrPath: String) -> String? {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return FileManager.default.fileExists(atPath: nameOrPath) ? nameOrPath : nil
        }
        let candidate = topologies + "/" + nameOrPath + ".yaml"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// The topology files in `topologies/`, sorted by name.
    public func topologyFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: topologies)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { topologies + "/" + $0 }
    }
}
