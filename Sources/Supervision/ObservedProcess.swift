import StackRecipes

/// One live process of the stack as a /proc scan saw it, labelled with its component and role.
///
/// `startTime` is field 22 of /proc/PID/stat (clock ticks since boot): together with the pid it
/// names one process for its whole life, so a recycled pid is told apart from the old process.
public struct ObservedProcess: Sendable, Equatable {
    public var pid: Int32
    public var ppid: Int32
    public var startTime: UInt64
    /// The component the caller assigned (from the process tree it launched).
    public var component: String
    /// The role the component's `RoleRule` gave it.
    public var role: ProcessRole
    /// 0 for a root process of its component, 1 for its children, …
    public var depth: Int
    /// /proc/PID/cmdline joined with spaces.
    public var commandLine: String
    /// Its pid inside its container's PID namespace (the last `NSpid` of /proc/PID/status);
    /// nil when it runs in the host's.
    public var containerPid: Int32?

    public init(
        pid: Int32, ppid: Int32, startTime: UInt64, component: String, role: ProcessRole,
        depth: Int, commandLine: String
    ) {
        self.containerPid = nil
        self.pid = pid
        self.ppid = ppid
        self.startTime = startTime
        self.component = component
        self.role = role
        self.depth = depth
        self.commandLine = commandLine
    }

    /// Labels `facts` with the role `rule` gives them.
    public init(facts: ProcessFacts, startTime: UInt64, component: String, rule: RoleRule) {
        self.init(
            pid: facts.pid, ppid: facts.ppid, startTime: startTime, component: component,
            role: rule.role(of: facts), depth: facts.depth, commandLine: facts.commandLine)
    }

    /// The pid and start time that name this process.
    public var identity: ProcessIdentity { ProcessIdentity(pid: pid, startTime: startTime) }
}

/// A pid plus its start time: unique for the life of the machine, unlike a pid alone.
public struct ProcessIdentity: Sendable, Hashable {
    public var pid: Int32
    public var startTime: UInt64
    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }
}

/// Every live process of the stack at one moment. Absence means death: a tracked process that a
/// snapshot does not list (or lists with another start time) has exited. Zombies must be left out.
public struct ProcessSnapshot: Sendable, Equatable {
    public var processes: [ObservedProcess]
    public init(_ processes: [ObservedProcess]) {
        self.processes = processes
    }
}

/// One input to `StackObserver.handle(_:at:)`; the time is passed beside it.
public enum Observation: Sendable, Equatable {
    /// A full scan of the stack's processes.
    case scanned(ProcessSnapshot)
    /// A pidfd reported that `pid` exited: killed by `signal`, or exited with `status`; when
    /// neither could be learnt, `unknown` says why.
    case exited(pid: Int32, signal: Int32?, status: Int32?, unknown: String? = nil)
    /// stacktop began stopping `component` (nil: the whole stack); exits from now on are expected.
    case stopping(component: String?)
    /// stacktop started `component` again after stopping it (a restart in place): exits of its
    /// new processes are failures again.
    case restarted(component: String)
    /// stacktop's restart in place of `component` failed after it began stopping it (the start
    /// could not be spawned, or the stop left survivors): it is no longer stopping, its stopped
    /// roots are down (a `down` event each), and exits of what still runs are failures again.
    case restartFailed(component: String)
    /// Nothing new: only let windows expire (see `StackObserver.nextDeadline`).
    case tick
}
