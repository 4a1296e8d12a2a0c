/// Chooses which pids a watcher's scan reads: the processes the last scan kept, plus every pid
/// the kernel handed out since it, instead of every process on the machine.
///
/// Linux hands out pids in increasing order (wrapping at pid_max), and /proc/loadavg names the
/// last one. A process that joined the stack since the last scan (a new worker, a replacement
/// master, a double-forked daemon whose parent is already gone) therefore has a pid after the
/// previous scan's last pid; a process the stack already had keeps its pid when reparented (an
/// orphaned worker), so it is read again by pid. What the full scan found is found, at a cost
/// that grows with the stack's processes and the machine's fork rate instead of its process
/// count. A full scan runs when the table cannot tell its last pid, when the counter wrapped or
/// jumped by more than `maxRange`, and every `fullEvery`-th scan as a safety net.
public struct ScanScope: Sendable {
    /// The pids after the last one to read one by one; beyond, a full scan is cheaper.
    public var maxRange: Int32 = 512
    /// Every this many scans, a full scan regardless.
    public var fullEvery = 60
    private var lastPid: Int32?
    private var kept: [Int32] = []
    private var scansSinceFull = 0
    public private(set) var fullScans = 0
    public private(set) var scopedScans = 0

    public init() {}

    /// The records this scan reads: the kept pids and the new ones (threads left out), or every
    /// process. `isMember` says whether a new record may belong to the stack, given the pids
    /// taken so far (kept, then new ones in pid order, so a new parent comes before its child);
    /// only those are checked for being a thread (a thread shares its process's session and parent).
    public mutating func records(
        from table: any ProcessTable,
        isMember: (ProcessRecord, Set<Int32>) -> Bool
    ) -> [ProcessRecord] {
        // Read the counter first: a process forked while the records are read has a later pid,
        // which the next scan's range starts after.
        let newest = table.lastPid()
        defer { lastPid = newest }
        guard let newest, let previous = lastPid, newest >= previous, newest - previous <= maxRange,
            scansSinceFull + 1 < fullEvery
        else {
            scansSinceFull = 0
            fullScans += 1
            return table.snapshot()
        }
        scansSinceFull += 1
        scopedScans += 1
        var out: [ProcessRecord] = []
        out.reserveCapacity(kept.count + 8)
        var seen = Set<Int32>(minimumCapacity: kept.count)
        for pid in kept where !seen.contains(pid) {
            if let r = table.record(of: pid) {
                out.append(r)
                seen.insert(pid)
            }
        }
        var pid = previous &+ 1
        while pid <= newest {
            if !seen.contains(pid), let r = table.record(of: pid), isMember(r, seen), table.threadGroup(of: pid) == pid
            {
                out.append(r)
                seen.insert(pid)
            }
            pid += 1
        }
        return out
    }

    /// The pids the scan kept (the stack's members), read again by the next scan.
    public mutating func keep(_ pids: [Int32]) { kept = pids }

    /// The next scan reads every process: a session joined the stack (a restart in place), and
    /// its root and first children may have been forked before it joined, so a scoped scan that
    /// already passed their pids would never read them again.
    public mutating func readAllNext() { lastPid = nil }
}
