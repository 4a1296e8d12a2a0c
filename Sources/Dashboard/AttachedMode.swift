/// How the dashboard treats a deploy stacktop attached to instead of launching: every fault
/// (a key or a drill) waits for the operator's `y` on a prompt naming the pid, role and signal;
/// with `readOnly` no fault is offered at all; `q` detaches.
public struct AttachedMode: Sendable, Equatable {
    public var readOnly: Bool
    public init(readOnly: Bool) { self.readOnly = readOnly }
}

/// A fault waiting for `y`: the prompt shown and the commands sent when confirmed.
public struct PendingFault: Sendable, Equatable {
    public var prompt: String
    public var commands: [Command]
    /// What the timeline records when it is confirmed (action, subject, pid).
    public var record: (action: String, subject: String, pid: Int32)?
    /// Confirms the drill selected in the open drill menu.
    public var drill = false

    public static func == (a: PendingFault, b: PendingFault) -> Bool {
        a.prompt == b.prompt && a.drill == b.drill && a.commands == b.commands && a.record?.action == b.record?.action
            && a.record?.subject == b.record?.subject && a.record?.pid == b.record?.pid
    }
}

extension DashboardState {
    /// The answer to a pending confirmation: `y` sends it, any other key cancels it.
    mutating func answerConfirmation(_ key: Key) -> [Command] {
        guard let pending = confirming else { return [] }
        confirming = nil
        guard key == .char("y") || key == .char("Y") else {
            flash("cancelled: nothing was sent", tone: .muted)
            return []
        }
        if pending.drill { return runSelectedDrill() }
        if let r = pending.record { timeline.recordAction(r.action, target: r.subject, pid: r.pid, at: nowMs) }
        for command in pending.commands {
            if case let .signal(pid, signal, _) = command {
                if signal == .stop { frozen.insert(pid) }
                if signal == .cont { frozen.remove(pid) }
            }
        }
        return pending.commands
    }

    /// Sends a fault now (launched stack), or holds it for confirmation (attached), or refuses
    /// it (attached read-only). `subject` names the process as the timeline does.
    mutating func fault(_ command: Command, action: String, subject: String, pid: Int32) -> [Command] {
        guard let attached else {
            timeline.recordAction(action, target: subject, pid: pid, at: nowMs)
            if case let .signal(pid, signal, _) = command {
                if signal == .stop { frozen.insert(pid) }
                if signal == .cont { frozen.remove(pid) }
            }
            return [command]
        }
        if attached.readOnly {
            flash("read-only: \(action) to \(subject) not sent (attached with --read-only)", tone: .warn)
            return []
        }
        confirming = PendingFault(
            prompt:
                "send \(action) to \(subject) of a deploy stacktop did not launch? y = send, any other key = cancel",
            commands: [command], record: (action, subject, pid))
        return []
    }

    /// Runs the drill selected in the menu, after confirmation on an attached deploy (refused
    /// when read-only).
    mutating func confirmSelectedDrill() -> [Command] {
        guard let attached else { return runSelectedDrill() }
        guard case let .drill(index) = overlay, let items = drillMenu, items.indices.contains(index) else { return [] }
        let scenario = items[index].name
        if attached.readOnly {
            flash("read-only: drill \(scenario) not run (attached with --read-only)", tone: .warn)
            return []
        }
        confirming = PendingFault(
            prompt: "run drill \(scenario) on a deploy stacktop did not launch (it signals its processes)? "
                + "y = run, any other key = cancel", commands: [], record: nil, drill: true)
        return []
    }
}
