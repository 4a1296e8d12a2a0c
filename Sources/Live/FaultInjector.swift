import Glibc
import Runtime
import StackRecipes
import Supervision

/// Sends a signal to one process of a live stack, after checking it is still the very process
/// the caller saw (FaultTarget's verdict against /proc and the stack's sessions), and says what
/// was done as a `fault` event.
///
/// Shared by the dashboard's fault keys and the drills, so both refuse the same things: a pid
/// that is gone, reused by a later process, outside the stack's sessions, or not the
/// component's root when the root was asked for.
public struct FaultInjector: Sendable {
    /// What came of one attempt.
    public struct Outcome: Sendable {
        /// The `fault` event to report (its detail is empty when the signal went out).
        public var event: StackEvent
        /// The signal reached the process.
        public var delivered: Bool
    }

    public let live: LiveStack

    public init(live: LiveStack) { self.live = live }

    /// Signals `pid` (a process of `component`; its root when `root`) with `signal`, named
    /// `name` in the event ("SIGKILL"), if FaultTarget allows it. `components` is the view the
    /// caller chose the pid from (default: a fresh snapshot). Never blocks.
    public func send(
        _ signal: Int32, name: String, to pid: Int32, component: String, root: Bool,
        components: [ComponentView]? = nil
    ) -> Outcome {
        let record = LinuxProcessTable().record(of: pid)
        let kernel = record.map { FaultTarget.Kernel(session: $0.sid, startTime: $0.startTimeTicks, isDead: $0.isDead) }
        let verdict = FaultTarget.verdict(
            pid: pid, component: component, root: root,
            components: components ?? live.snapshot().components, kernel: kernel,
            sessions: live.isAttached ? nil : live.sessions)
        switch verdict {
        case .allowed where live.isAttached && geteuid() != 0 && LinuxProcessTable().uid(of: pid) != geteuid():
            let owner = LinuxProcessTable().uid(of: pid).map { "uid \($0)" } ?? "another user"
            return Outcome(
                event: Self.event(
                    name, pid, component: component, role: nil,
                    detail: "refused: pid \(pid) belongs to \(owner); stacktop runs as uid \(geteuid()), not root",
                    tMs: live.stack.clock.elapsedMs),
                delivered: false)
        case let .allowed(role):
            // Stamped before kill(): whatever the signal causes (an exit the watcher reports at
            // once) happens after the fault on the stack's clock, never a millisecond before it.
            let tMs = live.stack.clock.elapsedMs
            let sent = kill(pid, signal) == 0
            let detail = sent ? "" : "not delivered: " + String(cString: strerror(errno))
            return Outcome(
                event: Self.event(name, pid, component: component, role: role, detail: detail, tMs: tMs),
                delivered: sent)
        case let .refused(why):
            return Outcome(
                event: Self.event(
                    name, pid, component: component, role: nil, detail: "refused: " + why,
                    tMs: live.stack.clock.elapsedMs),
                delivered: false)
        }
    }

    /// The `fault` event for a signal `name` sent (or not) to `pid`.
    public static func event(
        _ name: String, _ pid: Int32, component: String, role: ProcessRole?, detail: String,
        tMs: Int
    ) -> StackEvent {
        StackEvent(tMs: tMs, .fault(action: name, detail: detail), component: component, role: role, pid: pid)
    }
}
