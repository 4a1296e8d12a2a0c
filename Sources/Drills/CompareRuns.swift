import StackModel
import Supervision

/// What `compare` has gathered so far: every run's report, the stacks that refused the
/// scenario or failed to launch, and the exit status they add up to.
public struct CompareRuns: Sendable {
    public let scenario: DrillScenario
    public let repeats: Int
    /// Runs done or skipped (a refused stack skips its remaining repeats).
    public var done = 0
    public private(set) var reports: [DrillReport] = []
    /// Topology names in command-line order (as loaded; the argument when it did not load).
    public private(set) var names: [String] = []
    public private(set) var refusals: [String: String] = [:]
    public private(set) var failures: [String: String] = [:]
    public private(set) var survivors = 0

    public init(scenario: DrillScenario, repeats: Int) {
        self.scenario = scenario
        self.repeats = repeats
    }

    public mutating func add(_ argument: String, _ outcome: DrillLaunch.Outcome) {
        done += 1
        let name: String
        switch outcome {
        case let .report(report, left, _):
            name = report.topology
            reports.append(report)
            survivors += left
        case let .refused(refusal):
            name = refusal.topology
            refusals[name] = refusal.reason
        case let .failed(why):
            name = argument
            failures[name] = why.split(separator: "\n").first.map(String.init) ?? why
        }
        if !names.contains(name) { names.append(name) }
    }

    /// The table; a stack that failed to launch shows as refused with the launch error.
    public var comparison: DrillComparison {
        var reasons = refusals
        for (name, why) in failures where reports.allSatisfy({ $0.topology != name }) {
            reasons[name] = "did not launch: " + why
        }
        return DrillComparison(scenario: scenario.name, topologies: names, reports: reports, refusals: reasons)
    }

    /// nil for 0; else 1 (launch failures), 3 (survivors), 4 (a run did not recover), 2 (all refused).
    public var exitStatus: Int32? {
        if !failures.isEmpty { return 1 }
        if survivors > 0 { return 3 }
        if reports.contains(where: { !$0.recovered }) { return 4 }
        if reports.isEmpty && !refusals.isEmpty { return 2 }
        return nil
    }

    /// One line for stderr after a run.
    public static func summary(_ outcome: DrillLaunch.Outcome) -> String {
        switch outcome {
        case let .report(report, survivors, _):
            var line = report.headline
            if let first = report.firstServedByReplacementMs { line += ", replacement served at +\(first) ms" }
            if survivors > 0 { line += "; \(survivors) process(es) survived the stop" }
            return line
        case let .refused(refusal):
            return "refused: \(refusal.description)"
        case let .failed(why):
            return "failed: \(why)"
        }
    }
}
