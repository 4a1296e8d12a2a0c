import StackModel
import Traffic

/// The drill options of a command line, checked: the scenario by name with `--signal` and
/// `--timeout` applied, and `--load` in range. A wrong value is a `DrillOptionError` saying
/// what is wrong (`drill` and `compare` print it and exit 2).
public enum DrillOptions {
    /// The scenario `name` among `all`, with `signal` and `timeout` (seconds) applied. Unknown
    /// names, a signal for a scenario that sends none, a signal or timeout out of range: errors.
    public static func scenario(
        _ name: String, signal: String?, timeout: Double?,
        among all: [DrillScenario]
    ) throws(DrillOptionError) -> DrillScenario {
        var chosen: DrillScenario
        do { chosen = try DrillScenarios.named(name, among: all) } catch { throw DrillOptionError("\(error)") }
        if let signal {
            guard let number = DrillSignal.number(signal) else {
                throw DrillOptionError(
                    "--signal \(signal): not a signal a drill sends (use one of \(DrillSignal.usableNames.joined(separator: ", ")))"
                )
            }
            guard let changed = chosen.with(signal: number) else {
                throw DrillOptionError(
                    "--signal applies to the kill-* scenarios; \(chosen.name) sends no signal of its own")
            }
            chosen = changed
        }
        if let timeout {
            guard timeout > 0, timeout <= 600 else {
                throw DrillOptionError("--timeout needs 0 < S <= 600 seconds, not \(timeout)")
            }
            chosen.timeoutMs = Int(timeout * 1000)
        }
        return chosen
    }

    /// `load` (requests per second) in 1...LoadSettings.maxRate, or nil (the topology's rate).
    public static func check(load: Int?) throws(DrillOptionError) {
        if let load, !(1...LoadSettings.maxRate).contains(load) {
            throw DrillOptionError(
                "--load needs a rate of 1...\(LoadSettings.maxRate) requests per second, not \(load)")
        }
    }
}

/// A drill option with a wrong value: the message the user reads.
public struct DrillOptionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
