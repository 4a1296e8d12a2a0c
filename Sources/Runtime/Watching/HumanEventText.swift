import Supervision
import StackRecipes

/// Turns stack events into the concise lines `stacktop up` prints for people: the launch
/// (`starting app (gunicorn) ... ready in 160 ms`) and, in `EventText`'s words, what happens to
/// processes and hops while it runs (`app worker 4311 → 4320 after 11 ms`).
public struct HumanEventText: Sendable {
    /// Server kind by component name, for "app (gunicorn)".
    public var kinds: [String: String]
    /// True while a "starting … ..." line waits for its outcome.
    private var lineOpen = false

    public init(kinds: [String: String]) { self.kinds = kinds }

    /// The text for `event` (possibly several lines, possibly completing an open line); "" for
    /// events people need not see.
    public mutating func text(for event: StackEvent) -> String {
        let name = event.component.map { c in kinds[c].map { "\(c) (\($0))" } ?? c } ?? "stack"
        var out = ""
        switch event.kind {
        case let .starting(argv, launchedBy):
            // Another component (supervisord, Apache, lighttpd) starts it.
            let container = ContainerPlacement.name(inRunArgv: argv).map { " in container \($0)" } ?? ""
            out =
                closeLine(with: "")
                + (launchedBy.map { "waiting for \(name), started by \($0) ... " }
                    ?? "starting \(name)\(container) ... ")
            lineOpen = true
            return out
        case let .ready(afterMs, processes):
            let pids =
                processes.isEmpty
                ? ""
                : " (pid\(processes.count == 1 ? "" : "s") \(processes.map { String($0.pid) }.joined(separator: ", ")))"
            if lineOpen {
                lineOpen = false
                return "ready in \(afterMs) ms\(pids)\n"
            }
            return "\(name) ready in \(afterMs) ms\(pids)\n"
        case let .stack(topology, runDir, url):
            // An attached deploy has no run dir: stacktop launches nothing.
            out = runDir.isEmpty ? "watching \(topology) at \(url)\n" : "launching \(topology) in \(runDir)\n"
        case let .error(message, logTail):
            out = closeLine(with: "failed") + "error: \(message)\n" + logTail.map { "  | \($0)\n" }.joined()
        case let .stopped(clean, detail):
            out = closeLine(with: "") + (clean ? "stopped cleanly: " : "stopped: ") + detail + "\n"
        case .traffic:
            return ""
        default:
            guard let sentence = EventText.sentence(for: event) else { return "" }
            out = closeLine(with: "") + sentence + "\n"
        }
        return out
    }

    /// Ends an open "starting …" line with `word` (and a newline); "" when no line is open.
    private mutating func closeLine(with word: String) -> String {
        guard lineOpen else { return "" }
        lineOpen = false
        return word + "\n"
    }
}
