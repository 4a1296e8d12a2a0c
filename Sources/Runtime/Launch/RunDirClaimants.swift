import Glibc

/// Finds the session leaders that belong to a run dir by what they were started with: a stack
/// root names its run dir in its command line (configs under `conf/`, scripts under
/// `scripts/`) or in its environment (`TMPDIR`/`HOME` under `tmp/` for the Python servers).
///
/// The reaper uses it only for a fork whose session id never reached it: stacktop was killed
/// between forking a root and recording its session.
public struct RunDirClaimants: Sendable {
    public var table: any ProcessTable
    public var procRoot: String

    public init(table: any ProcessTable = LinuxProcessTable(), procRoot: String = "/proc") {
        self.table = table
        self.procRoot = procRoot
    }

    /// Live session leaders (sid == pid) whose command line or environment contains `runDir/`.
    public func sessionLeaders(naming runDir: String) -> Set<Int32> {
        let needle = runDir.hasSuffix("/") ? runDir : runDir + "/"
        var found = Set<Int32>()
        for record in table.snapshot()
        where record.sid == record.pid && !record.isDead && record.pid > 1 && record.pid != getpid() {
            if (table.commandLine(of: record.pid) ?? "").contains(needle)
                || environment(of: record.pid).contains(needle)
            {
                found.insert(record.pid)
            }
        }
        return found
    }

    /// /proc/PID/environ with NULs as newlines ("" when unreadable).
    func environment(of pid: Int32) -> String {
        guard let bytes = SmallFile.read("\(procRoot)/\(pid)/environ", limit: 1 << 20) else { return "" }
        return String(decoding: bytes.map { $0 == 0 ? 10 : $0 }, as: UTF8.self)
    }
}
