import StackModel

/// The words for what happened to a process or a hop — the one wording of stack events that
/// `stacktop up` prints and the dashboard's timeline shows (`app worker 4311 killed by SIGKILL`,
/// `app worker 4311 → 4320 after 11 ms`: replaced by a new process).
///
/// Launch and stop lines (`stack`, `starting`, `ready`, `stopped`) are framed by where they
/// appear (`up` continues an open "starting …" line; the timeline shows the front door), so
/// they are written there; everything else is written here once.
public enum EventText {
    /// "app worker 4313"; the role is left out when it repeats the component's name ("front 4301").
    public static func subject(component: String?, role: String?, pid: Int32?) -> String {
        [component, role == component ? nil : role, pid.map { String($0) }].compactMap { $0 }.joined(separator: " ")
    }

    /// "app worker 4313" for an event's component, role and pid.
    public static func subject(of event: StackEvent) -> String {
        subject(component: event.component, role: event.role?.rawValue, pid: event.pid)
    }

    /// "killed by SIGKILL", "exited with status 3", "exited, how unknown: WHY".
    public static func exit(signal: Int32?, status: Int32?, unknown: String?) -> String {
        if let signal { return "killed by \(Signal(signal).name)" }
        if let status { return "exited with status \(status)" }
        return "exited, how unknown: \(unknown ?? "not reported")"
    }

    /// "10 s" for whole seconds, "1500 ms" otherwise.
    public static func duration(ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }

    /// The sentence for `event`, nil for launch and stop lines (written where they appear) and
    /// for traffic (a figure, not a sentence).
    public static func sentence(for event: StackEvent) -> String? {
        let who = subject(of: event)
        switch event.kind {
        case let .building(step, detail):
            return "\(step == "base" ? "base image" : "stack image"): \(detail)"
        case let .spawned(ppid):
            let container = event.containerPid.map { " (pid \($0) in its container)" } ?? ""
            return "\(who)\(container) spawned" + (ppid.map { " by \($0)" } ?? "")
        case let .exited(signal, status, unknown):
            return "\(who) \(exit(signal: signal, status: status, unknown: unknown))"
        case let .replaced(oldPid, newPid, gapMs):
            let what = subject(component: event.component, role: event.role?.rawValue, pid: oldPid)
            // Short enough for the timeline at 80 columns: "app worker 4311 → 4313 after 12 ms".
            return "\(what) → \(newPid) after \(gapMs) ms"
        case let .crashLooping(exits, windowMs):
            return "\(who) crash-looping: \(exits) exits in \(duration(ms: windowMs))"
        case .orphaned:
            return "\(who) orphaned: its parent died, it keeps running"
        case .down:
            return "\(who) down: it died and nothing restarted it"
        case let .health(hop, answering, detail):
            return "\(hop) \(answering ? "answering" : "NOT answering")" + (detail.isEmpty ? "" : ": \(detail)")
        case let .fault(action, detail):
            // What stacktop sent and to whom; a refusal says why.
            return "\(action) → \(who)" + (detail.isEmpty ? "" : " (\(detail))")
        case let .detached(detail):
            return "detached: \(detail)"
        case .stack, .starting, .ready, .stopped, .error, .traffic:
            return nil
        }
    }
}
