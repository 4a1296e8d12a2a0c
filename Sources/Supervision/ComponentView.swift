import StackRecipes

/// What the dashboard shows of one component: its live process tree and its slots.
public struct ComponentView: Sendable, Equatable {
    public var name: String
    /// A root process (master, front server, single-process server) died and nothing replaced
    /// it, and no root is alive. Orphaned children may still be serving.
    public var isDown: Bool
    public var isStopping: Bool
    /// Replacements seen in this component so far (all slots, including dropped ones).
    public var restarts: Int
    /// Live processes in tree order: each root, then its children; orphans after the roots.
    public var processes: [ProcessView]
    /// Slots by role, then number.
    public var slots: [SlotView]
}

/// One live process of a component.
public struct ProcessView: Sendable, Equatable {
    public var pid: Int32
    public var ppid: Int32
    /// /proc start time in clock ticks since boot.
    public var startTime: UInt64
    public var role: ProcessRole
    public var depth: Int
    public var commandLine: String
    /// When the observer first saw it (ms since launch).
    public var firstSeenMs: Int
    /// The phase of its slot.
    public var phase: SlotPhase
    /// Its slot's number among the component's slots of the same role (1-based).
    public var slot: Int
    /// How many times its slot got a replacement process.
    public var restarts: Int
    /// Its parent died while it lives on.
    public var orphaned: Bool
}

/// One slot of a component: a position filled by successive processes.
public struct SlotView: Sendable, Equatable {
    public var number: Int
    public var role: ProcessRole
    /// The pid of the process that replaces this slot's processes; nil when launched from outside.
    public var parentPid: Int32?
    public var isRoot: Bool
    public var phase: SlotPhase
    /// The live process, or the last one.
    public var pid: Int32
    public var restarts: Int
    /// Exits within the last crash-loop window (as of the slot's last exit).
    public var recentExits: Int
    public var lastExitMs: Int?
}

extension StackObserver {
    /// Every component seen or declared, in order (processes and slots grouped in one pass: a
    /// snapshot of a 200-process stack is taken every second).
    public var components: [ComponentView] {
        let processes = Dictionary(grouping: live.values, by: \.process.component)
        let slotsByComponent = Dictionary(grouping: slots.values, by: \.component)
        return componentNames.map {
            view(of: $0, processes: processes[$0] ?? [], slots: slotsByComponent[$0] ?? [])
        }
    }

    /// One component's view; nil for a name never declared nor seen.
    public func component(_ name: String) -> ComponentView? {
        guard componentNames.contains(name) else { return nil }
        return view(
            of: name, processes: live.values.filter { $0.process.component == name },
            slots: slots.values.filter { $0.component == name })
    }

    private func view(of name: String, processes mine: [TrackedProcess], slots componentSlots: [WorkerSlot])
        -> ComponentView
    {
        let rootDown = componentSlots.contains { $0.isRoot && $0.wentDown && $0.phase == .gone }
        let rootAlive = mine.contains { $0.process.depth == 0 }
        return ComponentView(
            name: name,
            isDown: rootDown && !rootAlive,
            isStopping: isStopping(name),
            restarts: restartTotals[name, default: 0],
            processes: treeOrder(mine).map(view),
            slots: componentSlots.sorted { ($0.role.order, $0.number, $0.id) < ($1.role.order, $1.number, $1.id) }
                .map(view))
    }

    /// A live process by pid.
    public func process(pid: Int32) -> ProcessView? {
        live[pid].map(view)
    }

    private func treeOrder(_ processes: [TrackedProcess]) -> [TrackedProcess] {
        let pids = Set(processes.map(\.process.pid))
        let children = Dictionary(grouping: processes, by: \.process.ppid)
        let byPlace: (TrackedProcess, TrackedProcess) -> Bool = {
            ($0.orphaned ? 1 : 0, $0.process.depth, $0.process.pid) < (
                $1.orphaned ? 1 : 0, $1.process.depth, $1.process.pid
            )
        }
        var ordered: [TrackedProcess] = []
        func visit(_ t: TrackedProcess) {
            ordered.append(t)
            for c in (children[t.process.pid] ?? []).sorted(by: byPlace) { visit(c) }
        }
        for top in processes.filter({ !pids.contains($0.process.ppid) }).sorted(by: byPlace) { visit(top) }
        return ordered
    }

    private func view(_ t: TrackedProcess) -> ProcessView {
        let slot = slots[t.slotID]
        return ProcessView(
            pid: t.process.pid, ppid: t.process.ppid, startTime: t.process.startTime,
            role: t.process.role, depth: t.process.depth, commandLine: t.process.commandLine,
            firstSeenMs: t.firstSeenMs, phase: slot?.phase ?? .up, slot: slot?.number ?? 0,
            restarts: slot?.restarts ?? 0, orphaned: t.orphaned)
    }

    private func view(_ s: WorkerSlot) -> SlotView {
        SlotView(
            number: s.number, role: s.role, parentPid: s.parent?.pid, isRoot: s.isRoot, phase: s.phase,
            pid: s.current.pid, restarts: s.restarts, recentExits: s.recentExits.count,
            lastExitMs: s.recentExits.last)
    }
}

extension ProcessRole {
    /// Sorts slots as their roles' names do (front, helper, master, supervisor, worker), without
    /// comparing strings.
    fileprivate var order: Int {
        switch self {
        case .front: 0
        case .helper: 1
        case .master: 2
        case .supervisor: 3
        case .worker: 4
        }
    }
}
