import Live
import Supervision

/// Finds the last line of the Python traceback a crash-looping app left in its logs
/// (`RuntimeError: stacktop crash-loop drill: …`), for the drill report's "still wrong".
public enum CrashLoopTraceback {
    /// How far back in the logs to look.
    public static let lines = 400

    /// The last `SomethingError: message` (or `…Exception: …`) line of the app component's logs
    /// (for mod_wsgi they are Apache's error log, prefixes and all: the part from the
    /// exception's name on is returned).
    public static func lastLine(_ live: LiveStack, plan: DrillPlan) -> String? {
        lastLine(in: live.logTail(plan.component, lines: lines))
    }

    public static func lastLine(in log: [String]) -> String? {
        let pattern = /[A-Za-z_][A-Za-z0-9_.]*(Error|Exception): .+/
        for line in log.reversed() {
            if let match = line.firstMatch(of: pattern) { return String(match.output.0) }
        }
        return nil
    }
}
