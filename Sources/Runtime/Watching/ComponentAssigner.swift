import StackRecipes
import Supervision

/// Says which component each live process of a stack belongs to, at what depth and in what role.
///
/// A spawned root's session belongs to that component. Inside any session, a process whose
/// command line a hosted component claims (supervisord's programs, Apache's mod_wsgi daemons,
/// lighttpd's flup backends) belongs to that component, and so do its descendants. A process is
/// placed once, when first seen, and keeps its place for life: an orphan reparented to init keeps
/// the component and depth it had under its dead parent.
///
/// A new unclaimed child of a component that hosts others (supervisord, Apache, lighttpd) is held
/// back until it is `settleTicks` old: it may be a fork about to exec a program (supervisord,
/// lighttpd) or a daemon about to rename itself (mod_wsgi), and placing it early would file it
/// under the host. So is a fresh child that no role marker names yet (a uWSGI or nginx worker
/// before it set its title), for up to `nameTicks`: it would be taken for a helper, for life. On
/// a busy machine a new nginx worker can take longer than `settleTicks` to set its title (seen
/// in the soak: a replacement filed as a helper, its slot then reported down).
public struct ComponentAssigner: Sendable {
    /// What is known of one process for its whole life.
    struct Known: Sendable {
        var component: String
        var depth: Int
        var role: ProcessRole
        var commandLine: String
        /// Its pid in its container's PID namespace, read once when it is placed.
        var containerPid: Int32?
    }

    /// Session id → the spawned component whose root leads it (a launched stack).
    public private(set) var sessionOwners: [Int32: String]
    /// Discovered root process → its component (an attached stack); empty when launched.
    public let rootOwners: [ProcessIdentity: String]
    /// Components another component starts, which claim processes by command line (plan order).
    private let claimers: [ProcessSpec]
    private let rules: [String: RoleRule]
    /// Components that start others (the `launchedBy` of the claimers).
    private let hosts: Set<String>
    private var known: [ProcessIdentity: Known] = [:]
    /// The processes held back, with when (clock ticks since boot) each is placed regardless.
    private var held: [ProcessIdentity: UInt64] = [:]
    /// The age (clock ticks, 100 per second) an unclaimed child of a host must reach to be placed.
    public var settleTicks: UInt64 = 30
    /// The age a child of a master that names its children (nginx, uWSGI) may reach without a
    /// role marker before it is placed as a helper.
    public var nameTicks: UInt64 = 200

    /// `sessions` maps each spawned component to its session id (its root's pid).
    /// `roots` maps components to the discovered processes whose trees they are (attached stacks).
    public init(specs: [ProcessSpec], sessions: [String: Int32], roots: [String: ProcessIdentity] = [:]) {
        var owners: [Int32: String] = [:]
        for (component, sid) in sessions { owners[sid] = component }
        sessionOwners = owners
        rootOwners = Dictionary(roots.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        claimers = specs.filter { $0.launchedBy != nil && !$0.claimMarkers.isEmpty }
        rules = Dictionary(specs.map { ($0.component, $0.roles) }, uniquingKeysWith: { a, _ in a })
        hosts = Set(claimers.compactMap(\.launchedBy))
    }

    /// For a running stack: its sessions when launched, its discovered roots when attached.
    public init(stack: RunningStack) {
        switch stack.origin {
        case .launched:
            var sessions: [String: Int32] = [:]
            for c in stack.components { if let sid = c.session { sessions[c.spec.component] = sid } }
            self.init(specs: stack.plan.processes, sessions: sessions)
        case let .attached(_, roots):
            self.init(specs: stack.plan.processes, sessions: [:], roots: roots)
        }
    }

    /// `component` was restarted in place: its processes now live in `session` (its new root's
    /// pid), and its old session is no longer the stack's.
    public mutating func adopt(session: Int32, component: String) {
        for (sid, owner) in sessionOwners where owner == component { sessionOwners[sid] = nil }
        sessionOwners[session] = component
    }

    /// The session ids to scan.
    public var sessions: Set<Int32> { Set(sessionOwners.keys) }

    /// The stack's processes among `all`: the members of its sessions (launched), or the trees
    /// under its roots plus processes placed before that left them (orphans reparented to init).
    public func members(of all: [ProcessRecord]) -> [ProcessRecord] {
        guard !rootOwners.isEmpty else {
            let sessions = self.sessions
            return all.filter { sessions.contains($0.sid) }
        }
        var children: [Int32: [ProcessRecord]] = [:]
        for r in all { children[r.ppid, default: []].append(r) }
        var out: [ProcessRecord] = []
        var taken = Set<Int32>()
        var queue = all.filter { rootOwners[ProcessIdentity(pid: $0.pid, startTime: $0.startTimeTicks)] != nil }
        while let r = queue.popLast() {
            guard taken.insert(r.pid).inserted else { continue }
            out.append(r)
            queue += children[r.pid] ?? []
        }
        for r in all
        where !taken.contains(r.pid) && known[ProcessIdentity(pid: r.pid, startTime: r.startTimeTicks)] != nil {
            out.append(r)
        }
        return out
    }

    /// When (clock ticks since boot) the earliest held-back process is due to be placed; nil
    /// when none is held.
    public var nextSettleTicks: UInt64? { held.values.min() }

    /// Labels the live `members` of the stack's sessions (zombies already left out), scanned at
    /// `nowTicks` (clock ticks since boot, as /proc start times). `facts` reads a process's command line and uid; it is called for processes
    /// not placed before, and for those younger than `nameTicks` (their command line is refreshed). Processes placed earlier but absent from `members` are forgotten;
    /// held-back processes are left out of the result.
    public mutating func label(
        _ members: [ProcessRecord], nowTicks: UInt64,
        facts: (ProcessRecord) -> (commandLine: String, uid: UInt32)?
    ) -> [ObservedProcess] {
        // Parents start before their children: placing in start order finds each parent placed.
        let ordered = members.sorted { ($0.startTimeTicks, $0.pid) < ($1.startTimeTicks, $1.pid) }
        var byPid: [Int32: ProcessIdentity] = [:]
        for r in ordered { byPid[r.pid] = ProcessIdentity(pid: r.pid, startTime: r.startTimeTicks) }
        var result: [ObservedProcess] = []
        result.reserveCapacity(ordered.count)
        var present = Set<ProcessIdentity>()
        for r in ordered {
            let id = ProcessIdentity(pid: r.pid, startTime: r.startTimeTicks)
            present.insert(id)
            let age = nowTicks > r.startTimeTicks ? nowTicks - r.startTimeTicks : 0
            if var k = known[id] {
                // A young process may still rename itself (setproctitle: `gunicorn: worker [app:app]`):
                // show its latest command line; its place and role stay as they were.
                if age < nameTicks, let f = facts(r), f.commandLine != k.commandLine {
                    k.commandLine = f.commandLine
                    known[id] = k
                }
            } else {
                switch place(r, parent: byPid[r.ppid].flatMap { known[$0] }, age: age, facts: facts) {
                case let .placed(k):
                    known[id] = k
                    held[id] = nil
                case let .held(forTicks):
                    held[id] = r.startTimeTicks + forTicks
                    continue
                case .unknown:
                    continue
                }
            }
            guard let k = known[id] else { continue }
            var observed = ObservedProcess(
                pid: r.pid, ppid: r.ppid, startTime: r.startTimeTicks, component: k.component,
                role: k.role, depth: k.depth, commandLine: k.commandLine)
            observed.containerPid = k.containerPid
            result.append(observed)
        }
        known = known.filter { present.contains($0.key) }
        held = held.filter { present.contains($0.key) }
        return result
    }

    private enum Placement {
        case placed(Known)
        /// Too young to tell (see the type's doc): held until it is this old (clock ticks).
        case held(UInt64)
        /// Its facts cannot be read (it just died) or its session belongs to no component.
        case unknown
    }

    /// Places a process not placed before.
    private func place(
        _ r: ProcessRecord, parent: Known?, age: UInt64,
        facts: (ProcessRecord) -> (commandLine: String, uid: UInt32)?
    ) -> Placement {
        let id = ProcessIdentity(pid: r.pid, startTime: r.startTimeTicks)
        let isRoot = rootOwners.isEmpty ? r.pid == r.sid : rootOwners[id] != nil
        let owner = rootOwners.isEmpty ? sessionOwners[r.sid] : rootOwners[id] ?? parent?.component
        guard let owner, let f = facts(r) else { return .unknown }
        let component: String
        let depth: Int
        if let claimer = claimers.first(where: { $0.claims(commandLine: f.commandLine) }) {
            component = claimer.component
            // Claimed under a process of another component (supervisord, Apache): a root.
            depth = parent.map { $0.component == component ? $0.depth + 1 : 0 } ?? 1
        } else if let parent {
            if age < settleTicks && hosts.contains(parent.component) { return .held(settleTicks) }
            component = parent.component
            depth = parent.depth + 1
        } else {
            component = owner
            // The session leader (or discovered root) is the root; anything else first seen
            // without a live parent of the stack is a leftover child, never a root.
            depth = isRoot ? 0 : 1
        }
        let facts = ProcessFacts(
            pid: r.pid, ppid: r.ppid, depth: depth, commandLine: f.commandLine,
            command: r.comm, uid: f.uid)
        let rule = rules[component] ?? RoleRule(root: .worker)
        // A fresh fork of a master that names its children (uWSGI, nginx) still has the master's
        // command line: wait for its own name rather than call it a helper.
        let named =
            rule.workerMarkers.isEmpty
            || (rule.helperMarkers + rule.workerMarkers).contains { f.commandLine.contains($0) }
        if depth > 0 && !named && age < nameTicks { return .held(nameTicks) }
        return .placed(
            Known(
                component: component, depth: depth, role: rule.role(of: facts), commandLine: f.commandLine,
                containerPid: ContainerPid.of(r.pid)))
    }
}
