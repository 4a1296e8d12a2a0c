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

    public init(
        pid: Int32, ppid: Int32, pgid: Int32, sid: Int32, comm: String, state: Character,
        utimeTicks: UInt64 = 0, stimeTicks: UInt64 = 0, threads: Int = 1,
        startTimeTicks: UInt64 = 0, rssPages: Int64 = 0
    ) {
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
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { parse(statBytes: UnsafeBufferPointer($0)) }
    }

    /// Parses /proc/PID/stat from raw bytes without building intermediate strings.
    public static func parse(statBytes b: UnsafeBufferPointer<UInt8>) -> ProcessRecord? {
        guard let open = b.firstIndex(of: 40), let close = b.lastIndex(of: 41), open < close else { return nil }  // ( )
        var pidValue: Int64 = 0
        var pidDigits = 0
        for i in 0..<open where b[i] != 32 {
            guard b[i] >= 48, b[i] <= 57 else { return nil }
            pidValue = pidValue * 10 + Int64(b[i] - 48)
            pidDigits += 1
        }
        guard pidDigits > 0, pidValue <= Int64(Int32.max) else { return nil }
        // Fields after ")": index 0 is field 3 (state); field N of proc(5) is index N - 3.
        // Wanted: 0 state, 1 ppid, 2 pgrp, 3 session, 11 utime, 12 stime, 17 threads, 19 starttime, 21 rss.
        var values = [Int64](repeating: 0, count: 22)
        var state: UInt8 = 0
        var field = -1
        var i = close + 1
        while i < b.count, field < 21 {
            while i < b.count, b[i] == 32 || b[i] == 10 { i += 1 }
            guard i < b.count else { break }
            field += 1
            if field == 0 {
                state = b[i]
                while i < b.count, b[i] != 32 { i += 1 }
                continue
            }
            var negative = false
            if b[i] == 45 { negative = true; i += 1 }  // -
            var v: Int64 = 0
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                v = v &* 10 &+ Int64(b[i] - 48)
                digits += 1
                i += 1
            }
            guard digits > 0, i == b.count || b[i] == 32 || b[i] == 10 else { return nil }
            values[field] = negative ? -v : v
        }
        guard field >= 21, state != 0 else { return nil }
        let comm = String(decoding: UnsafeBufferPointer(rebasing: b[(open + 1)..<close]), as: UTF8.self)
        return ProcessRecord(
            pid: Int32(pidValue), ppid: Int32(truncatingIfNeeded: values[1]),
            pgid: Int32(truncatingIfNeeded: values[2]), sid: Int32(truncatingIfNeeded: values[3]),
            comm: comm, state: Character(Unicode.Scalar(state)),
            utimeTicks: UInt64(max(0, values[11])), stimeTicks: UInt64(max(0, values[12])),
            threads: Int(values[17]), startTimeTicks: UInt64(max(0, values[19])),
            rssPages: values[21])
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
