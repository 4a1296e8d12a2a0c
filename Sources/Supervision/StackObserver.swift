import StackRecipes

/// Turns process scans and exit notifications of a running stack into events, and keeps the
/// process tree, worker slots and component states the dashboard draws.
///
/// Pure: times are passed in (ms since launch, monotonic). Feed it every `Observation` in time
/// order, exit notifications before a scan taken after them, and a `.tick` at `nextDeadline`.
public struct StackObserver: Sendable {
    public let settings: ObserverSettings
    private(set) var live: [Int32: TrackedProcess] = [:]
    private(set) var slots: [Int: WorkerSlot] = [:]
    private(set) var componentNames: [String]
    private(set) var restartTotals: [String: Int] = [:]
    private var nextSlotID = 1
    private var stoppingAll = false
    private var stoppingComponents: Set<String> = []
    private var exitMemory: ExitMemory

    /// `components` fixes the order the query API lists them in; others are appended as seen.
    public init(settings: ObserverSettings = ObserverSettings(), components: [String] = []) {
        self.settings = settings
        self.componentNames = components
        self.exitMemory = ExitMemory(capacity: settings.exitMemory)
    }

    /// Applies one input observed at `now` and returns the events it caused, in order. Windows
    /// that ran out before `now` are settled first, their events stamped with their deadline.
    public mutating func handle(_ input: Observation, at now: Int) -> [StackEvent] {
        var events = expireDeadlines(through: now)
        switch input {
        case let .scanned(snapshot):
            events += scanned(snapshot, at: now)
        case let .exited(pid, signal, status, unknown):
            events += processExited(pid: pid, signal: signal, status: status, unknown: unknown, at: now)
        case let .stopping(component):
            events += stopping(component, at: now)
        case let .restarted(component):
            stoppingComponents.remove(component)
        case let .restartFailed(component):
            stoppingComponents.remove(component)
            for id in slots.keys.sorted() where slots[id]?.component == component {
                events += apply(.restartFailed, toSlot: id, at: now)
            }
        case .tick:
            break
        }
        return events
    }

    /// When the next window runs out; send a `.tick` then. nil when nothing is pending.
    public var nextDeadline: Int? {
        slots.values.compactMap { $0.deadline(settings: settings)?.at }.min()
    }

    /// Whether stacktop is stopping `component` (or the whole stack).
    public func isStopping(_ component: String) -> Bool {
        stoppingAll || stoppingComponents.contains(component)
    }

    // MARK: - Inputs

    private mutating func expireDeadlines(through now: Int) -> [StackEvent] {
        var events: [StackEvent] = []
        while true {
            let due = slots.values.compactMap { slot in
                slot.deadline(settings: settings).map { (id: slot.id, at: $0.at, input: $0.input) }
            }.filter { $0.at <= now }.min { ($0.at, $0.id) < ($1.at, $1.id) }
            guard let due else { return events }
            events += apply(due.input, toSlot: due.id, at: due.at)
        }
    }

    private mutating func scanned(_ snapshot: ProcessSnapshot, at now: Int) -> [StackEvent] {
        var seen: [Int32: ObservedProcess] = [:]
        for p in snapshot.processes { seen[p.pid] = p }
        var events: [StackEvent] = []
        // Gone from the scan, or the pid now names another process: the tracked one exited.
        let vanished = live.values.filter { seen[$0.process.pid]?.startTime != $0.process.startTime }
            .sorted { ($0.process.depth, $0.process.pid) < ($1.process.depth, $1.process.pid) }
        for t in vanished {
            events += processExited(
                pid: t.process.pid, signal: nil, status: nil,
                unknown: "it vanished from /proc between two scans, with no pidfd watching it", at: now)
        }
        // Parents start before their children: order newcomers by start time.
        let newcomers = snapshot.processes.filter { live[$0.pid] == nil && !exitMemory.contains($0.identity) }
            .sorted { ($0.startTime, $0.pid) < ($1.startTime, $1.pid) }
        for p in newcomers {
            events += processSpawned(p, at: now)
        }
        for pid in live.keys.sorted() {
            guard var t = live[pid], let s = seen[pid] else { continue }
            let parentDied = t.parent.map { !isLive($0) } ?? false
            let reparented = s.ppid != t.process.ppid
            t.process.ppid = s.ppid
            t.process.commandLine = s.commandLine  // a young process may rename itself (setproctitle)
            if !t.orphaned && (parentDied || reparented) && !isStopping(t.process.component) {
                t.orphaned = true
                events.append(
                    StackEvent(
                        tMs: now, .orphaned, component: t.process.component,
                        role: t.process.role, pid: pid))
            }
            live[pid] = t
        }
        return events
    }

    private mutating func processExited(
        pid: Int32, signal: Int32?, status: Int32?, unknown: String?,
        at now: Int
    ) -> [StackEvent] {
        guard let t = live.removeValue(forKey: pid) else { return [] }  // unknown, or already exited
        exitMemory.remember(t.process.identity)
        var events = [
            StackEvent(
                tMs: now,
                .exited(
                    signal: signal, status: status,
                    unknown: signal == nil && status == nil ? unknown ?? "not reported" : nil),
                component: t.process.component, role: t.process.role, pid: pid)
        ]
        let replaceable = t.parent.map(isLive) ?? false
        events += apply(.exited(replaceable: replaceable), toSlot: t.slotID, at: now)
        // Slots waiting for this process to replace their dead one now wait in vain.
        for id in slots.keys.sorted() where slots[id]?.parent == t.process.identity && slots[id]?.isWaiting == true {
            events += apply(.parentExited, toSlot: id, at: now)
        }
        return events
    }

    private mutating func processSpawned(_ p: ObservedProcess, at now: Int) -> [StackEvent] {
        if !componentNames.contains(p.component) { componentNames.append(p.component) }
        let parent = live[p.ppid]?.process.identity
        var spawned = StackEvent(tMs: now, .spawned(ppid: p.ppid), component: p.component, role: p.role, pid: p.pid)
        spawned.containerPid = p.containerPid
        var events = [spawned]
        let waiting = slots.values.filter {
            parent != nil && $0.parent == parent && $0.component == p.component && $0.role == p.role && $0.isWaiting
        }.min { ($0.exitedAtMs ?? 0, $0.id) < ($1.exitedAtMs ?? 0, $1.id) }
        let slotID: Int
        if let waiting {
            slotID = waiting.id
            events += apply(.respawned(p.identity), toSlot: slotID, at: now)
        } else {
            slotID = openSlot(for: p, parent: parent, at: now)
        }
        live[p.pid] = TrackedProcess(process: p, parent: parent, slotID: slotID, firstSeenMs: now)
        return events
    }

    private mutating func stopping(_ component: String?, at now: Int) -> [StackEvent] {
        if let component { stoppingComponents.insert(component) } else { stoppingAll = true }
        var events: [StackEvent] = []
        for id in slots.keys.sorted() where component == nil || slots[id]?.component == component {
            events += apply(.stopRequested, toSlot: id, at: now)
        }
        return events
    }

    // MARK: - Slots

    private mutating func openSlot(for p: ObservedProcess, parent: ProcessIdentity?, at now: Int) -> Int {
        // A down slot of the same group is superseded by the new process (e.g. a manual restart).
        for (id, slot) in slots
        where slot.phase == .gone && slot.component == p.component
            && slot.role == p.role && slot.parent == parent
        {
            slots[id] = nil
        }
        let taken = Set(slots.values.filter { $0.component == p.component && $0.role == p.role }.map(\.number))
        let number = (1...).first { !taken.contains($0) } ?? 1
        let id = nextSlotID
        nextSlotID += 1
        slots[id] = WorkerSlot(
            id: id, number: number, component: p.component, role: p.role, parent: parent,
            isRoot: p.depth == 0, process: p.identity, at: now,
            stopping: isStopping(p.component))
        return id
    }

    private mutating func apply(_ input: WorkerSlot.Input, toSlot id: Int, at now: Int) -> [StackEvent] {
        guard var slot = slots[id] else { return [] }
        let outcomes = slot.apply(input, at: now, settings: settings)
        // A slot that ended without a failure to show (stopped workers stay listed) is dropped.
        slots[id] = slot.phase == .gone && !slot.wentDown ? nil : slot
        return outcomes.map { outcome in
            switch outcome {
            case let .replaced(oldPid, newPid, gapMs):
                restartTotals[slot.component, default: 0] += 1
                return StackEvent(
                    tMs: now, .replaced(oldPid: oldPid, newPid: newPid, gapMs: gapMs),
                    component: slot.component, role: slot.role, pid: newPid)
            case let .crashLooping(exits, windowMs):
                return StackEvent(
                    tMs: now, .crashLooping(exits: exits, windowMs: windowMs),
                    component: slot.component, role: slot.role, pid: slot.current.pid)
            case let .down(pid):
                return StackEvent(tMs: now, .down, component: slot.component, role: slot.role, pid: pid)
            }
        }
    }

    private func isLive(_ identity: ProcessIdentity) -> Bool {
        live[identity.pid]?.process.identity == identity
    }
}

/// A live process the observer follows: as first seen (role and depth stay), with its slot.
struct TrackedProcess: Sendable, Equatable {
    var process: ObservedProcess
    /// The stack process that spawned it; nil when launched from outside the stack.
    let parent: ProcessIdentity?
    let slotID: Int
    let firstSeenMs: Int
    var orphaned = false
}
