import StackRecipes
import Supervision

/// Says which component each live process of a stack belongs to, at what depth and in what role.
///
/// A spawned root's session belongs to that component. Inside any session, a process whose
/// command line a hosted component claims (supervisord's programs, Apache's mod_wsgi daemons,
/// lighttpd's flup backends) belongs to that component, and so do its descendants. A process is
/// placed once, when first seen, and keeps its place for life: an orphan reparented to init keeps
/// the component and depth it had under its dead parent.
public struct ComponentAssigner: Sendable {
    /// What is known of one process for its whole life.
    struct Known: Sendable {
        var component: String
        var depth: Int
        var role: ProcessRole
        var commandLine: String
    }

    /// Session id → the spawned component whose root leads it.
    public let sessionOwners: [Int32: String]
    /// Components another component starts, which claim processes by command line (plan order).
    private let claimers: [ProcessSpec]
    private let rules: [String: RoleRule]
    private var known: [ProcessIdentity: Known] = [:]

    /// `sessions` maps each spawned component to its session id (its root's pid).
    public init(specs: [ProcessSpec], sessions: [String: Int32]) {
        var owners: [Int32: String] = [:]
        for (component, sid) in sessions { owners[sid] = component }
        sessionOwners = owners
        claimers = specs.filter { $0.launchedBy != nil && !$0.claimMarkers.isEmpty }
        rules = Dictionary(specs.map { ($0.component, $0.roles) }, uniquingKeysWith: { a, _ in a })
    }

    /// For a launched stack.
    public init(stack: RunningStack) {
        var sessions: [String: Int32] = [:]
        for c in stack.components { if let sid = c.session { sessions[c.spec.component] = sid } }
        self.init(specs: stack.plan.processes, sessions: sessions)
    }

    /// The session ids to scan.
    public var sessions: Set<Int32> { Set(sessionOwners.keys) }

    /// Labels the live `members` of the stack's sessions (zombies already left out). `facts`
    /// reads a process's command line and uid; it is called only for processes not seen before.
    /// Processes placed earlier but absent from `members` are forgotten.
    public mutating func label(_ members: [ProcessRecord],
                               facts: (ProcessRecord) -> (commandLine: String, uid: UInt32)?) -> [ObservedProcess] {
        // Parents start before their children: placing in start order finds each parent placed.
        let ordered = members.sorted { ($0.startTimeTicks, $0.pid) < ($1.startTimeTicks, $1.pid) }
        var byPid: [Int32: ProcessIdentity] = [:]
        for r in ordered { byPid[r.pid] = ProcessIdentity(pid: r.pid, startTimeTicks: r.startTimeTicks) }
        var result: [ObservedProcess] = []
        result.reserveCapacity(ordered.count)
        var present = Set<ProcessIdentity>()
        for r in ordered {
            let id = ProcessIdentity(pid: r.pid, startTimeTicks: r.startTimeTicks)
            present.insert(id)
            if known[id] == nil {
                guard let place = place(r, parent: byPid[r.ppid].flatMap { known[$0] }, facts: facts) else { continue }
                known[id] = place
            }
            guard let k = known[id] else { continue }
            result.append(ObservedProcess(pid: r.pid, ppid: r.ppid, startTime: r.startTimeTicks, component: k.component,
                                          role: k.role, depth: k.depth, commandLine: k.commandLine))
        }
        known = known.filter { present.contains($0.key) }
        return result
    }

    /// Places a process seen for the first time; nil when its facts cannot be read (it just died)
    /// or its session belongs to no component.
    private func place(_ r: ProcessRecord, parent: Known?,
                       facts: (ProcessRecord) -> (commandLine: String, uid: UInt32)?) -> Known? {
        guard let owner = sessionOwners[r.sid], let f = facts(r) else { return nil }
        let component: String
        let depth: Int
        if let claimer = claimers.first(where: { $0.claims(commandLine: f.commandLine) }) {
            component = claimer.component
            // Claimed under a process of another component (supervisord, Apache): a root.
            depth = parent.map { $0.component == component ? $0.depth + 1 : 0 } ?? 1
        } else if let parent {
            component = parent.component
            depth = parent.depth + 1
        } else {
            component = owner
            // The session leader is the root; anything else first seen without a live parent of
            // the stack is a leftover child, never a root.
            depth = r.pid == r.sid ? 0 : 1
        }
        let facts = ProcessFacts(pid: r.pid, ppid: r.ppid, depth: depth, commandLine: f.commandLine,
                                 command: r.comm, uid: f.uid)
        let rule = rules[component] ?? RoleRule(root: .worker)
        return Known(component: component, depth: depth, role: rule.role(of: facts), commandLine: f.commandLine)
    }
}
