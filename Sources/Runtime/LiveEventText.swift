import Supervision
import StackModel

/// The human lines of `stacktop up` for a watched stack: the launch lines of `HumanEventText`
/// plus what happens to processes and hops while it runs
/// (`app worker 4311 killed by SIGKILL`, `app worker 4311 replaced by 4320 after 11 ms`).
public struct LiveEventText: Sendable {
    public var launch: HumanEventText

    public init(kinds: [String: String]) { launch = HumanEventText(kinds: kinds) }

    public var kinds: [String: String] {
        get { launch.kinds }
        set { launch.kinds = newValue }
    }

    /// The text for `event`; "" for events people need not see.
    public mutating func text(for event: StackEvent) -> String {
        // "front 4300" rather than "front front 4300" when the component is named after its role.
        let role = event.role?.rawValue == event.component ? nil : event.role?.rawValue
        let who = [event.component, role, event.pid.map(String.init)].compactMap { $0 }.joined(separator: " ")
        switch event.kind {
        case let .spawned(ppid):
            return "\(who)\(event.containerPid.map { " (pid \($0) in its container)" } ?? "") spawned" + (ppid.map { " by \($0)" } ?? "") + "\n"
        case let .exited(signal, status, unknown):
            if let signal { return "\(who) killed by \(Signal(signal).name)\n" }
            if let status { return "\(who) exited with status \(status)\n" }
            return "\(who) exited, how unknown: \(unknown ?? "not reported")\n"
        case let .replaced(oldPid, newPid, gapMs):
            return "\(([event.component, role].compactMap { $0 } + [String(oldPid)]).joined(separator: " ")) replaced by \(newPid) after \(gapMs) ms\n"
        case let .crashLooping(exits, windowMs):
            return "\(who) crash-looping: \(exits) exits within \(LiveEventText.seconds(windowMs))\n"
        case .orphaned:
            return "\(who) orphaned: its parent died, it still runs\n"
        case .down:
            return "\(who) down: it died and nothing replaced it\n"
        case let .health(hop, answering, detail):
            return answering ? "\(hop) answering: \(detail)\n" : "\(hop) NOT answering: \(detail)\n"
        default:
            return launch.text(for: event)
        }
    }

    static func seconds(_ ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
