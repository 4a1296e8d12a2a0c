/// Every scenario a drill can name: the built-in ones, then the user's from a directory
/// (`topologies/scenarios/*.yaml`, one scenario per file, in file-name order; read by the
/// StackFiles target's `all(scenariosDir:)`).
public enum DrillScenarios {
    /// The scenario called `name` among `scenarios`.
    public static func named(_ name: String, among scenarios: [DrillScenario]) throws(UnknownScenario) -> DrillScenario
    {
        if let found = scenarios.first(where: { $0.name == name }) { return found }
        throw UnknownScenario(name: name, known: scenarios.map(\.name))
    }
}

/// No scenario has the name asked for: says the closest one and lists them all.
public struct UnknownScenario: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var known: [String]

    public init(name: String, known: [String]) {
        self.name = name
        self.known = known
    }

    /// `no scenario 'kill-wroker'; did you mean 'kill-worker'? Scenarios: kill-worker, …` (`no scenario 'x'. Scenarios: …`).
    public var description: String {
        var text = "no scenario '\(name)'"
        if let match = Suggestions.closest(to: name, among: known) {
            text += "; did you mean '\(match)'?"
        } else {
            text += "."
        }
        return text + " Scenarios: " + known.joined(separator: ", ")
    }
}
