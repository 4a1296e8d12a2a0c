import Glibc
import Supervision

/// SIGKILLs every live process of some sessions, again and again, until none is left or time runs out.
///
/// Repeating matters: a dying master can fork (or supervisord restart a program) between one
/// scan and the next kill; each round kills what the previous scan did not see.
public struct SessionSweeper: Sendable {
    public var table: any ProcessTable
    /// How long to keep sweeping.
    public var timeoutMs: Int
    /// Pause between rounds.
    public var intervalMs: Int

    public init(table: any ProcessTable = LinuxProcessTable(), timeoutMs: Int = 3000, intervalMs: Int = 10) {
        self.table = table
        self.timeoutMs = timeoutMs
        self.intervalMs = intervalMs
    }

    /// What a sweep did.
    public struct Outcome: Sendable, Equatable {
        /// Distinct processes that were sent SIGKILL.
        public var killed: Set<Int32>
        /// Live processes still in the sessions when time ran out (empty on success).
        public var survivors: [Int32]
    }

    /// Kills the live members of `sessions` and the listed `processes` (pid + start time, so a
    /// reused pid is left alone), until none is alive.
    public func sweep(sessions: Set<Int32>, processes: [ProcessIdentity] = []) -> Outcome {
        let clock = Stopwatch()
        var killed = Set<Int32>()
        while true {
            var targets = table.liveMembers(ofSessions: sessions).map(\.pid)
            targets += processes.filter { table.isAlive($0.pid, startTime: $0.startTime) }.map(\.pid)
            if targets.isEmpty { return Outcome(killed: killed, survivors: []) }
            if clock.elapsedMs >= timeoutMs { return Outcome(killed: killed, survivors: targets) }
            for pid in targets where pid > 1 && pid != getpid() {
                kill(pid, SIGKILL)
                killed.insert(pid)
            }
            Stopwatch.sleep(ms: intervalMs)
        }
    }
}
