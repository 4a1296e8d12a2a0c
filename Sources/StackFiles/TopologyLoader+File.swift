import Foundation
import StackModel

/// Reading a topology file: the file system side of `TopologyLoader`, which parses text.
extension TopologyLoader {
    /// Reads the file at `path` and loads it; a missing or unreadable file is a diagnostic at 1:1.
    public static func load(path: String, demoAppDirectory: String) throws(TopologyErrors) -> Topology {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason =
                !exists
                ? "no such file"
                : isDirectory.boolValue
                    ? "is a directory, not a topology file"
                    : "cannot be read as UTF-8 text"
            throw TopologyErrors([Diagnostic(SourceLocation(file: path, line: 1, column: 1), reason)])
        }
        return try load(text: text, path: path, demoAppDirectory: demoAppDirectory)
    }
}
