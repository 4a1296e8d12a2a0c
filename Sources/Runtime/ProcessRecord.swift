/// One process as /proc/PID/stat describes it: identity, family, session, state and CPU/memory use.
public struct ProcessRecord: Sendable, Equatable {
    public var pid: Int32
    public var ppid: Int32
    /// Process group id.
    public var pgid: Int32
    /// Session id (field 6 of /proc/PID/stat): the pid of the session leader.
    public var sid: Int32
    /// The kernel's short name (`comm`, at most 15 bytes), without parentheses.
    public var comm: String
    /// R, S, D, Z, T, t, X, I …
    public var state: Character
    /// User and system CPU time in clock ticks (`sysconf(_SC_CLK_TCK)`, 100 per second here).
    public var utimeTicks: UInt64
    public var stimeTicks: UInt64
    public var threads: Int
    /// Start time in clock ticks since boot: with the pid it names a process uniquely.
    public var startTimeTicks: UInt64
    /// Resident set size in pages.
    public var rssPages: Int64

    public init(pid: Int32, ppid: Int32, pgid: Int32, sid: Int32, comm: String, state: Character,
                utimeTicks: UInt64 = 0, stimeTicks: UInt64 = 0, threads: Int = 1,
                startTimeTicks: UInt64 = 0, rssPages: Int64 = 0) {
        self.pid = pid
        self.ppid = ppid
        self.pgid = pgid
        self.sid = sid
        self.comm = comm
        self.state = state
        self.utimeTicks = utimeTicks
        self.stimeTicks = stimeTicks
        self.threads = threads
        self.startTimeTicks = startTimeTicks
        self.rssPages = rssPages
    }

    /// Dead but not yet reaped (Z), or dead (X): it runs no code and holds no port.
    public var isDead: Bool { state == "Z" || state == "X" }

    /// Parses the contents of /proc/PID/stat. The command name may contain spaces and
    /// parentheses, so the fields are read after the last `)`.
    public static func parse(stat text: String) -> ProcessRecord? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              let pid = Int32(text[..<open].trimmingCharacters(in: " ")) else { return nil }
        let comm = String(text[text.index(after: open)..<close])
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); field N of proc(5) is fields[N - 3].
        guard fields.count >= 22, let state = fields[0].first,
              let ppid = Int32(fields[1]), let pgid = Int32(fields[2]), let sid = Int32(fields[3]),
              let utime = UInt64(fields[11]), let stime = UInt64(fields[12]),
              let threads = Int(fields[17]), let start = UInt64(fields[19]),
              let rss = Int64(fields[21]) else { return nil }
        return ProcessRecord(pid: pid, ppid: ppid, pgid: pgid, sid: sid, comm: comm, state: state,
                             utimeTicks: utime, stimeTicks: stime, threads: threads,
                             startTimeTicks: start, rssPages: rss)
    }
}

extension Substring {
    /// The substring without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}
