import Glibc
import Supervision

/// CPU and memory use of one process, measured between two scans.
public struct ProcessUsage: Sendable, Equatable {
    /// Share of one core over the last measured interval (100 = one core busy); nil until a
    /// second sample exists.
    public var cpuPercent: Double?
    /// Resident set size in bytes (/proc/PID/stat field 24 × page size).
    public var rssBytes: Int64
    public var threads: Int

    public init(cpuPercent: Double?, rssBytes: Int64, threads: Int) {
        self.cpuPercent = cpuPercent
        self.rssBytes = rssBytes
        self.threads = threads
    }
}

/// Turns successive /proc stat records into CPU% (utime+stime deltas over elapsed time) and RSS.
///
/// A process's CPU% is recomputed only when at least `minIntervalNs` passed since its last
/// measured sample, so the quick rescans after an exit do not make noisy numbers.
public struct UsageMeter: Sendable {
    public let ticksPerSecond: Double
    public let pageSize: Int64
    public let minIntervalNs: UInt64
    private var lastSample: [ProcessIdentity: (ticks: UInt64, ns: UInt64)] = [:]
    /// The latest usage by pid.
    public private(set) var usage: [Int32: ProcessUsage] = [:]

    public init(
        ticksPerSecond: Double = Double(sysconf(Int32(_SC_CLK_TCK))),
        pageSize: Int64 = Int64(sysconf(Int32(_SC_PAGESIZE))), minIntervalNs: UInt64 = 500_000_000
    ) {
        self.ticksPerSecond = ticksPerSecond > 0 ? ticksPerSecond : 100
        self.pageSize = pageSize > 0 ? pageSize : 4096
        self.minIntervalNs = minIntervalNs
    }

    /// Records the stat records of one scan taken at `ns` (monotonic nanoseconds).
    public mutating func sample(_ records: [ProcessRecord], atNs ns: UInt64) {
        var next: [Int32: ProcessUsage] = [:]
        var seen = Set<ProcessIdentity>()
        for r in records {
            let id = ProcessIdentity(pid: r.pid, startTime: r.startTimeTicks)
            seen.insert(id)
            let ticks = r.utimeTicks &+ r.stimeTicks
            var cpu = usage[r.pid]?.cpuPercent
            if let last = lastSample[id] {
                if ns > last.ns, ns - last.ns >= minIntervalNs {
                    let seconds = Double(ns - last.ns) / 1e9
                    cpu = Double(ticks &- last.ticks) / ticksPerSecond / seconds * 100
                    lastSample[id] = (ticks, ns)
                }
            } else {
                cpu = nil
                lastSample[id] = (ticks, ns)
            }
            next[r.pid] = ProcessUsage(cpuPercent: cpu, rssBytes: max(0, r.rssPages) * pageSize, threads: r.threads)
        }
        lastSample = lastSample.filter { seen.contains($0.key) }
        usage = next
    }
}
