import ArgumentParser
import Drills
import Live
import Runtime
import StackFiles
import StackModel
import Supervision
import Traffic

/// The command-line side shared by `drill` and `compare`: finding the scenario, checking
/// option values, usage errors (exit 2), and progress lines on stderr.
enum DrillUsage {
    /// Prints `stacktop: message` and a hint on stderr; the ExitCode(2) to throw.
    static func error(_ message: String) -> ExitCode {
        EventOutput.write("stacktop: \(message)\n", fd: 2)
        return ExitCode(2)
    }

    /// The scenario `name`, with `--signal` and `--timeout` applied. Unknown names, a signal
    /// for a scenario that sends none, bad values: usage errors (exit 2).
    static func scenario(_ name: String, signal: String?, timeout: Double?) throws -> DrillScenario {
        let all: [DrillScenario]
        do { all = try DrillListing.catalog() } catch { throw Self.error("\(error)") }
        var chosen: DrillScenario
        do { chosen = try DrillScenarios.named(name, among: all) } catch { throw Self.error("\(error)") }
        if let signal {
            guard let number = DrillSignal.number(signal) else {
                throw Self.error("--signal \(signal): not a signal a drill sends (use one of \(DrillSignal.usableNames.joined(separator: ", ")))")
            }
            guard let changed = chosen.with(signal: number) else {
                throw Self.error("--signal applies to the kill-* scenarios; \(chosen.name) sends no signal of its own")
            }
            chosen = changed
        }
        if let timeout {
            guard timeout > 0, timeout <= 600 else { throw Self.error("--timeout needs 0 < S <= 600 seconds, not \(timeout)") }
            chosen.timeoutMs = Int(timeout * 1000)
        }
        return chosen
    }

    /// `--load` in range.
    static func check(load: Int?) throws {
        if let load, !(1...LoadSettings.maxRate).contains(load) {
            throw error("--load needs a rate of 1...\(LoadSettings.maxRate) requests per second, not \(load)")
        }
    }

    /// Writes each progress step as one stderr line: `PREFIX: phase: text`.
    static func progressPrinter(prefix: String) -> @Sendable (DrillProgress) -> Void {
        { p in EventOutput.write("\(prefix): \(p.line)\n", fd: 2) }
    }
}
