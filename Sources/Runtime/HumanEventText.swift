import Supervision
import StackRecipes

/// Turns stack events into the concise lines `stacktop up` prints for people:
/// `starting app (gunicorn) ... ready in 160 ms`.
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
            out = closeLine(with: "") + (launchedBy.map { "waiting for \(name), started by \($0) ... " } ?? "starting \(name)\(container) ... ")
            lineOpen = true
            return out
        case let .building(step, detail):
            out = closeLine(with: "") + "\(step == "base" ? "base image" : "stack image"): \(detail)\n"
        case let .ready(afterMs, processes):
            let pids = processes.isEmpty ? "" : " (pid\(processes.count == 1 ? "" : "s") \(processes.map { String($0.pid) }.joined(separator: ", ")))"
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
        case let .detached(detail):
            out = closeLine(with: "") + "detached: " + detail + "\n"
        case let .exited(signal, status, unknown):
            let how = signal.map { "killed by signal \($0)" } ?? status.map { "exited with status \($0)" }
                ?? "exited, how unknown: \(unknown ?? "not reported")"
            out = closeLine(with: "") + "\(name): pid \(event.pid.map(String.init) ?? "?") \(how)\n"
        case let .fault(action, detail):
            // "fault: SIGKILL app (gunicorn) worker pid 4242" (+ "— refused: …" when it was not sent)
            let role = event.role.map { " \($0.rawValue)" } ?? ""
            let pid = event.pid.map { " pid \($0)" } ?? ""
            let why = detail.isEmpty ? "" : " — \(detail)"
            out = closeLine(with: "") + "fault: \(action) \(name)\(role)\(pid)\(why)\n"
        default:
            return ""
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
