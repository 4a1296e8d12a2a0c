import Foundation
import StackModel

/// Reading the user's scenario files: the file system side of `DrillScenarios`.
extension DrillScenarios {
    /// Built-ins, then the scenarios of every `.yaml`/`.yml` file in `scenariosDir` (nil or a
    /// missing directory: built-ins only). Throws every problem of every file at once; a user
    /// scenario that reuses a name (built-in or of an earlier file) is a problem of its file.
    public static func all(scenariosDir: String?) throws(TopologyErrors) -> [DrillScenario] {
        var scenarios = DrillScenario.builtIn
        var origin: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for path in files(in: scenariosDir) {
            do {
                let (scenario, nameAt) = try ScenarioLoader.loadLocated(path: path)
                if let first = origin[scenario.name] {
                    diagnostics.append(Diagnostic(nameAt, "scenario '\(scenario.name)' is already defined in \(first)"))
                    continue
                }
                origin[scenario.name] = path
                scenarios.append(scenario)
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if !diagnostics.isEmpty { throw TopologyErrors(diagnostics) }
        return scenarios
    }

    /// The scenario files of `dir`, sorted by name; none when `dir` is nil or missing.
    public static func files(in dir: String?) -> [String] {
        guard let dir, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
            .sorted()
            .map { URL(fileURLWithPath: dir).appendingPathComponent($0).path }
    }

    /// The scenario called `name`, built in or from `scenariosDir`. Throws `TopologyErrors` when
    /// a scenario file is broken, `UnknownScenario` when no scenario has that name.
    public static func named(_ name: String, scenariosDir: String?) throws -> DrillScenario {
        try named(name, among: all(scenariosDir: scenariosDir))
    }
}
