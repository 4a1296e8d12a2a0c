import ArgumentParser
import Drills
import StackModel

/// The command-line side shared by `drill` and `compare`: option errors from DrillOptions
/// printed as usage errors (exit 2), and progress lines on stderr.
enum DrillUsage {
    /// Prints `stacktop: message` and a hint on stderr; the ExitCode(2) to throw.
    static func error(_ message: String) -> ExitCode {
        EventOutput.write("stacktop: \(message)\n", fd: 2)
        return ExitCode(2)
    }

    /// The scenario `name` of the project, with `--signal` and `--timeout` applied (see
    /// DrillOptions). Unknown names, bad values: usage errors (exit 2).
    static func scenario(_ name: String, signal: String?, timeout: Double?) throws -> DrillScenario {
        let all: [DrillScenario]
        do { all = try DrillListing.catalog() } catch { throw Self.error("\(error)") }
        do { return try DrillOptions.scenario(name, signal: signal, timeout: timeout, among: all) } catch {
            throw Self.error(error.description)
        }
    }

    /// `--load` in range (see DrillOptions).
    static func check(load: Int?) throws {
        do { try DrillOptions.check(load: load) } catch { throw Self.error(error.description) }
    }

    /// Writes each progress step as one stderr line: `PREFIX: phase: text`.
    static func progressPrinter(prefix: String) -> @Sendable (DrillProgress) -> Void {
        { p in EventOutput.write("\(prefix): \(p.line)\n", fd: 2) }
    }
}
