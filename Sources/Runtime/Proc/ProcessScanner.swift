import Glibc
import Supervision

/// Reads a running stack's processes from the process table: the stat of the pids `ScanScope`
/// chooses (the stack's processes of the last scan and the pids handed out since, or every pid),
/// kept when its session is one of the stack's (launched) or it descends from a discovered root
/// (attached); command line and uid only for processes not seen before.
public struct ProcessScanner: Sendable {
    /// One scan: the labelled snapshot for `StackObserver` and the raw records it came from.
    public struct Scan: Sendable {
        public var snapshot: ProcessSnapshot
        /// The live members of the stack's sessions (zombies left out, but those the caller kept).
        public var records: [ProcessRecord]
        /// When it was taken (CLOCK_MONOTONIC nanoseconds).
        public var takenNs: UInt64
    }

    public var table: any ProcessTable
    public private(set) var assigner: ComponentAssigner
    public private(set) var meter = UsageMeter()
    /// Which pids each scan reads.
    public var scope = ScanScope()
    /// Parent pid of every process in the last scan.
    public private(set) var parents: [Int32: Int32] = [:]

    public init(table: any ProcessTable, assigner: ComponentAssigner) {
        self.table = table
        self.assigner = assigner
    }

    /// `component` was restarted in place into `session` (see `ComponentAssigner.adopt`).
    public mutating func adopt(session: Int32, component: String) {
        assigner.adopt(session: session, component: component)
        scope.readAllNext()
    }

    /// Scans now; updates the usage numbers. A dead member (a zombie) is left out unless
    /// `keepingDead` keeps it: a thread-group leader that exited before its other threads is a
    /// zombie in /proc while the process lives on, and its exit is only announced (pidfd, parent)
    /// once the last thread is gone; a caller waiting on that announcement keeps it until then.
    public mutating func scan(keepingDead: (ProcessRecord) -> Bool = { _ in false }) -> Scan {
        let sessions = assigner.sessions
        let launched = !sessions.isEmpty
        let read = scope.records(from: table) { r, taken in launched ? sessions.contains(r.sid) : taken.contains(r.ppid)
        }
        let records = assigner.members(of: read).filter { !$0.isDead || keepingDead($0) }
        scope.keep(records.map(\.pid))
        let table = self.table
        let now = Stopwatch.nowNs()
        let processes = assigner.label(
            records, nowTicks: ProcessScanner.bootTicks(ticksPerSecond: meter.ticksPerSecond)
        ) { r in
            guard let cmd = table.commandLine(of: r.pid), let uid = table.uid(of: r.pid) else { return nil }
            // Kernel threads and exiting processes have no command line: fall back to the name.
            return (cmd.isEmpty ? "[\(r.comm)]" : cmd, uid)
        }
        meter.sample(records, atNs: now)
        var parents: [Int32: Int32] = [:]
        for r in records { parents[r.pid] = r.ppid }
        self.parents = parents
        return Scan(snapshot: ProcessSnapshot(processes), records: records, takenNs: now)
    }

    /// Clock ticks since boot now, comparable with /proc start times (CLOCK_BOOTTIME).
    public static func bootTicks(ticksPerSecond: Double) -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        return UInt64(ts.tv_sec) * UInt64(ticksPerSecond) + UInt64(Double(ts.tv_nsec) / 1e9 * ticksPerSecond)
    }

    /// Whether `pid` was in the last scan.
    public func knows(_ pid: Int32) -> Bool { parents[pid] != nil }
}
