import Foundation
import StackModel

/// Reading a scenario file: the file system side of `ScenarioLoader`, which parses text.
extension ScenarioLoader {
    /// Reads and parses the file at `path`; an unreadable file is a diagnostic at 1:1.
    public static func load(path: String) throws(TopologyErrors) -> DrillScenario {
        try loadLocated(path: path).scenario
    }

    package static func loadLocated(path: String) throws(TopologyErrors) -> (
        scenario: DrillScenario, nameAt: SourceLocation
    ) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TopologyErrors([
                Diagnostic(SourceLocation(file: path, line: 1, column: 1), "cannot be read as UTF-8 text")
            ])
        }
        return try loadLocated(text: text, path: path)
    }
}
