import StackRecipes

/// The phase of a slot, in supervisor's vocabulary ("busy" is derived elsewhere, from traffic).
public enum SlotPhase: String, Sendable, Equatable {
    /// A first process appeared and has not yet lived `settleMs`.
    case starting
    /// Its process has lived at least `settleMs`.
    case up
    /// Its process died; a replacement may still come within `replacementWindowMs`.
    case exited
    /// A replacement appeared and has not yet lived `settleMs`.
    case restarting
    /// It died `crashLoopExits` times within `crashLoopWindowMs` (supervisor's FATAL).
    case crashLooping = "crash_looping"
    /// Its process exited while stacktop was stopping the component.
    case stopped
    /// Its process died and nothing replaced it.
    case gone
}

/// A position in a component's pool: successive processes of one component and role under one
/// parent. A worker that dies and is followed by a sibling from the same parent keeps its slot.
struct WorkerSlot: Sendable, Equatable {
    /// What happened to the slot.
    enum Input: Sendable, Equatable {
        /// Its process exited; `replaceable` is false when no live parent could replace it.
        case exited(replaceable: Bool)
        /// A new process of the same component, role and parent appeared.
        case respawned(ProcessIdentity)
        /// The process has lived `settleMs`.
        case settled
        /// A crash-looping slot's process lived a whole crash-loop window without exits.
        case calmed
        /// The replacement window passed with no replacement.
        case expired
        /// The parent that would replace the process died.
        case parentExited
        /// stacktop began stopping the component.
        case stopRequested
        /// stacktop's restart in place of the component failed: nothing will start it again.
        case restartFailed
    }

    /// What the slot reports, turned into events by the observer.
    enum Outcome: Sendable, Equatable {
        case replaced(oldPid: Int32, newPid: Int32, gapMs: Int)
        case crashLooping(exits: Int, windowMs: Int)
        case down(pid: Int32)
    }

    let id: Int
    /// 1-based position among the component's slots, for display.
    let number: Int
    let component: String
    let role: ProcessRole
    /// The process that spawns this slot's processes; nil when launched from outside the stack.
    let parent: ProcessIdentity?
    /// Whether its processes are roots of the component (master, front server, single process).
    let isRoot: Bool
    private(set) var phase: SlotPhase = .starting
    /// The live process, or the last one.
    private(set) var current: ProcessIdentity
    private(set) var startedAtMs: Int
    /// Set while waiting for a replacement.
    private(set) var exitedAtMs: Int?
    private(set) var restarts = 0
    private(set) var recentExits: [Int] = []
    private(set) var stopping: Bool
    /// Whether it reported `down`.
    private(set) var wentDown = false

    init(
        id: Int, number: Int, component: String, role: ProcessRole, parent: ProcessIdentity?,
        isRoot: Bool, process: ProcessIdentity, at now: Int, stopping: Bool
    ) {
        self.id = id
        self.number = number
        self.component = component
        self.role = role
        self.parent = parent
        self.isRoot = isRoot
        self.current = process
        self.startedAtMs = now
        self.stopping = stopping
    }

    /// Whether it waits for a replacement process.
    var isWaiting: Bool { exitedAtMs != nil }

    /// Moves the slot along; returns what it reports.
    mutating func apply(_ input: Input, at now: Int, settings: ObserverSettings) -> [Outcome] {
        switch (phase, input) {
        case (.exited, .stopRequested):  // EXITED -> STOPPED (nobody will replace it during a stop)
            stopping = true
            phase = .stopped
            exitedAtMs = nil
        case (.crashLooping, .stopRequested) where isWaiting:  // CRASH_LOOPING -> STOPPED (same)
            stopping = true
            phase = .stopped
            exitedAtMs = nil
        case (_, .stopRequested):  // any live phase stays; its exit will be STOPPED
            stopping = true
        case (.stopped, .restartFailed):  // STOPPED -> GONE (the start failed: a root is down)
            return giveUp(reportDown: isRoot)
        case (.starting, .restartFailed), (.up, .restartFailed), (.exited, .restartFailed),
            (.restarting, .restartFailed), (.crashLooping, .restartFailed):  // stays; its exit is a failure again
            stopping = false
        case let (.starting, .exited(replaceable)):  // STARTING -> EXITED (died before settling; waiting)
            return processExited(replaceable: replaceable, at: now, settings: settings)
        case let (.up, .exited(replaceable)):  // UP -> EXITED (waiting for a replacement)
            return processExited(replaceable: replaceable, at: now, settings: settings)
        case let (.restarting, .exited(replaceable)):  // RESTARTING -> EXITED (the replacement died too)
            return processExited(replaceable: replaceable, at: now, settings: settings)
        // CRASH_LOOPING -> CRASH_LOOPING (waiting again)
        case let (.crashLooping, .exited(replaceable)) where !isWaiting:
            return processExited(replaceable: replaceable, at: now, settings: settings)
        case let (.exited, .respawned(process)):  // EXITED -> RESTARTING (replaced)
            let outcome = replace(with: process, at: now)
            phase = .restarting
            return [outcome]
        // CRASH_LOOPING -> CRASH_LOOPING (replaced, still looping)
        case let (.crashLooping, .respawned(process)) where isWaiting:
            return [replace(with: process, at: now)]
        case (.starting, .settled):  // STARTING -> UP
            phase = .up
        case (.restarting, .settled):  // RESTARTING -> UP
            phase = .up
        case (.crashLooping, .calmed) where !isWaiting:  // CRASH_LOOPING -> UP (a whole window without exits)
            phase = .up
        case (.exited, .expired):  // EXITED -> GONE (no replacement within the window: down)
            return giveUp(reportDown: true)
        case (.crashLooping, .expired) where isWaiting:  // CRASH_LOOPING -> GONE (down)
            return giveUp(reportDown: true)
        case (.exited, .parentExited):  // EXITED -> GONE (its parent died; a root is down, a worker just gone)
            return giveUp(reportDown: isRoot)
        case (.crashLooping, .parentExited) where isWaiting:  // CRASH_LOOPING -> GONE (same)
            return giveUp(reportDown: isRoot)
        default:  // every other pair: the input does not apply in this phase
            break
        }
        return []
    }

    /// When the slot next changes by itself, and how.
    func deadline(settings: ObserverSettings) -> (at: Int, input: Input)? {
        switch phase {
        case .starting, .restarting:
            return (startedAtMs + settings.settleMs, .settled)
        case .exited:
            return exitedAtMs.map { ($0 + settings.replacementWindowMs, .expired) }
        case .crashLooping:
            if let exitedAtMs { return (exitedAtMs + settings.replacementWindowMs, .expired) }
            return recentExits.last.map { ($0 + settings.crashLoopWindowMs, .calmed) }
        case .up, .stopped, .gone:
            return nil
        }
    }

    private mutating func processExited(replaceable: Bool, at now: Int, settings: ObserverSettings) -> [Outcome] {
        if stopping {  // -> STOPPED (an expected exit during a stop)
            phase = .stopped
            return []
        }
        recentExits = recentExits.filter { $0 > now - settings.crashLoopWindowMs } + [now]
        if !replaceable {  // -> GONE (no live parent to replace it: a root is down at once)
            return giveUp(reportDown: isRoot)
        }
        exitedAtMs = now
        if phase != .crashLooping && recentExits.count >= settings.crashLoopExits {  // -> CRASH_LOOPING
            phase = .crashLooping
            return [.crashLooping(exits: recentExits.count, windowMs: settings.crashLoopWindowMs)]
        }
        if phase != .crashLooping { phase = .exited }
        return []
    }

    private mutating func replace(with process: ProcessIdentity, at now: Int) -> Outcome {
        let outcome = Outcome.replaced(oldPid: current.pid, newPid: process.pid, gapMs: now - (exitedAtMs ?? now))
        restarts += 1
        current = process
        startedAtMs = now
        exitedAtMs = nil
        return outcome
    }

    private mutating func giveUp(reportDown: Bool) -> [Outcome] {
        phase = .gone
        exitedAtMs = nil
        guard reportDown else { return [] }
        wentDown = true
        return [.down(pid: current.pid)]
    }
}
