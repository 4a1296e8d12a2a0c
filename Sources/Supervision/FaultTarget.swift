import StackRecipes

/// Decides whether a fault command may touch a pid: only a live process of this stack, the very
/// process the dashboard showed (not a later one that reused its pid), in the stack's sessions.
///
/// Pure: the wiring reads /proc and the stack's sessions and hands them in; a refusal says why.
public enum FaultTarget {
    /// What /proc says about a pid right now.
    public struct Kernel: Sendable, Equatable {
        /// Session id (stat field 6).
        public var session: Int32
        /// Start time in clock ticks since boot (stat field 22).
        public var startTime: UInt64
        /// Zombie or dead.
        public var isDead: Bool

        public init(session: Int32, startTime: UInt64, isDead: Bool = false) {
            self.session = session
            self.startTime = startTime
            self.isDead = isDead
        }
    }

    /// The outcome: go ahead (with the process's role, for the `fault` event), or why not.
    public enum Verdict: Sendable, Equatable {
        case allowed(role: ProcessRole)
        case refused(String)
    }

    /// Whether `pid` may be signalled as a process of `component` (its root when `root`).
    /// `sessions` is nil for an attached deploy, whose processes live in no session of stacktop's:
    /// the start time alone ties the pid to the process shown.
    public static func verdict(
        pid: Int32, component: String, root: Bool, components: [ComponentView],
        kernel: Kernel?, sessions: Set<Int32>?
    ) -> Verdict {
        guard pid > 1 else { return .refused("pid \(pid) is never a process of a stack") }
        guard let view = components.first(where: { $0.name == component })?.processes.first(where: { $0.pid == pid })
        else {
            let elsewhere = components.first { $0.processes.contains { $0.pid == pid } }?.name
            return .refused(
                elsewhere.map { "pid \(pid) belongs to \($0), not \(component)" }
                    ?? "pid \(pid) is not a live process of \(component)")
        }
        guard let kernel, !kernel.isDead else { return .refused("pid \(pid) is gone") }
        guard kernel.startTime == view.startTime else {
            return .refused("pid \(pid) is now another process (started later)")
        }
        if let sessions, !sessions.contains(kernel.session) {
            return .refused("pid \(pid) is outside the stack's sessions")
        }
        if root && view.depth != 0 { return .refused("pid \(pid) is not the root process of \(component)") }
        return .allowed(role: view.role)
    }
}
