import Yams

/// Reads a topology file into a validated `Topology`, collecting every problem of the file.
public enum TopologyLoader {
    /// Parses `text` (the contents of `path`). Relative paths in the file resolve against
    /// `path`'s directory; `demoAppDirectory` is where the bundled demo app lives.
    public static func load(text: String, path: String, demoAppDirectory: String) throws(TopologyErrors) -> Topology {
        throw TopologyErrors([Diagnostic(SourceLocation(file: path, line: 1, column: 1), "not implemented yet")])
    }
}
