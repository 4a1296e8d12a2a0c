import StackRecipes
import Supervision

/// One row of the worker table: a live process, or a slot whose process died and is not back.
public struct ProcessRow: Sendable, Equatable {
    public var component: String
    public var role: ProcessRole
    public var pid: Int32
    public var depth: Int
    public var phase: SlotPhase
    public var isLive: Bool
    public var orphaned: Bool
    public var frozen: Bool
    /// ms since launch when the observer first saw it (live rows).
    public var firstSeenMs: Int?
    public var requests: Int?
    public var usage: UsageReading?
    public var restarts: Int

    /// What the STATE column says.
    public var stateLabel: String {
        if frozen && isLive { return "frozen" }
        if orphaned { return "orphan" }
        if !isLive && phase == .gone { return "down" }
        if phase == .crashLooping { return "crash-loop" }
        if phase == .up, isLive, let busy = usage?.busy { return busy ? "up busy" : "up idle" }
        return phase.rawValue.replacingOccurrences(of: "_", with: "-")
    }

    public var health: Health {
        if frozen && isLive { return .degraded }
        if orphaned { return .degraded }
        switch phase {
        case .up: return .good
        case .starting, .restarting, .exited, .stopped: return .degraded
        case .crashLooping, .gone: return .bad
        }
    }

    /// Rows of every component: live processes in tree order, then slots still waiting or down.
    static func rows(of state: DashboardState) -> [ProcessRow] {
        var rows: [ProcessRow] = []
        // Supervisors first (they own the rest), then the file's order, then anything else seen.
        let declared = state.topology?.components ?? []
        let order =
            declared.filter { $0.kind == .supervisord }.map(\.name)
            + declared.filter { $0.kind != .supervisord }.map(\.name)
        let rank = { (name: String) in order.firstIndex(of: name) ?? order.count }
        let ordered = state.components.enumerated().sorted {
            (rank($0.element.name), $0.offset) < (rank($1.element.name), $1.offset)
        }
        .map(\.element)
        for c in ordered {
            let livePids = Set(c.processes.map(\.pid))
            for p in c.processes {
                rows.append(
                    ProcessRow(
                        component: c.name, role: p.role, pid: p.pid, depth: p.depth, phase: p.phase,
                        isLive: true, orphaned: p.orphaned, frozen: state.frozen.contains(p.pid),
                        firstSeenMs: p.firstSeenMs, requests: state.traffic.requestsByPid[p.pid],
                        usage: state.usage[p.pid], restarts: p.restarts))
            }
            for s in c.slots where !livePids.contains(s.pid) && [.exited, .crashLooping, .gone].contains(s.phase) {
                rows.append(
                    ProcessRow(
                        component: c.name, role: s.role, pid: s.pid, depth: s.isRoot ? 0 : 1,
                        phase: s.phase, isLive: false, orphaned: false, frozen: false,
                        firstSeenMs: nil, requests: state.traffic.requestsByPid[s.pid], usage: nil,
                        restarts: s.restarts))
            }
        }
        return rows
    }
}

/// Number formats shared by the views.
enum Format {
    /// "01:23:45" (or "12:34" under an hour) for a duration in ms.
    static func duration(_ ms: Int) -> String {
        let s = max(0, ms) / 1000
        let h = s / 3600, m = (s / 60) % 60, sec = s % 60
        return h > 0 ? "\(pad2(h)):\(pad2(m)):\(pad2(sec))" : "\(pad2(m)):\(pad2(sec))"
    }

    /// "01:23.4" minutes, seconds and tenths since launch, for the timeline.
    static func stamp(_ ms: Int) -> String {
        let t = max(0, ms)
        let minutes = t / 60_000
        return "\(pad2(minutes)):\(pad2((t / 1000) % 60)).\((t / 100) % 10)"
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// One decimal: "12.3".
    static func one(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// A latency: "4.2 ms" below 100 ms, "123 ms" above.
    static func ms(_ v: Double?) -> String {
        guard let v else { return "–" }
        return v < 100 ? "\(one(v)) ms" : "\(Int(v.rounded())) ms"
    }

    /// Bytes as "812K", "24.1M", "1.2G".
    static func bytes(_ n: Int) -> String {
        let k = Double(n) / 1024
        if k < 1000 { return "\(Int(k.rounded()))K" }
        let m = k / 1024
        if m < 1000 { return "\(one(m))M" }
        return "\(one(m / 1024))G"
    }

    /// A request rate: "12/s", "2.5/s".
    static func rate(_ v: Double) -> String {
        v >= 10 || v == v.rounded() ? "\(Int(v.rounded()))/s" : "\(one(v))/s"
    }
}
