import CLinux
import Glibc

/// The body of `stacktop _reap`: outlives stacktop and kills every process of its stacks once
/// stacktop is gone, however it went (kill -9 included).
///
/// It reads `ReaperMessage` lines from `inputFD` (a pipe whose only writer is stacktop). EOF
/// means stacktop exited or closed the pipe; the reaper then SIGKILLs the live members of every
/// recorded session, repeating until none is left (bounded), and returns.
public struct Reaper: Sendable {
    public var inputFD: Int32
    public var sweeper: SessionSweeper

    public init(inputFD: Int32 = 0, sweeper: SessionSweeper = SessionSweeper(timeoutMs: 3000)) {
        self.inputFD = inputFD
        self.sweeper = sweeper
    }

    /// Makes the calling process deaf to the terminal signals a Ctrl-C or a closed terminal
    /// sends, so only EOF (or SIGKILL) ends it.
    public static func ignoreTerminalSignals() {
        for sig in [SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU] {
            _ = stacktop_set_signal_ignored(sig, 1)
        }
    }

    /// Reads messages until EOF, then sweeps. Returns what the sweep did.
    public func run() -> SessionSweeper.Outcome {
        var targets = ReaperTargets()
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending.append(contentsOf: buffer[0..<n])
            targets.consume(&pending)
        }
        var sessions = targets.sessions
        if let runDir = targets.unrecordedSpawn {
            sessions.formUnion(RunDirClaimants(table: sweeper.table).sessionLeaders(naming: runDir))
        }
        // Containers first: `podman rm -f` kills their processes and removes them from podman's
        // store; the sweep then finds nothing left of them.
        for c in targets.containers {
            let engine = ContainerEngine(config: c.config)
            if c.isPod {
                engine.removePod(idFile: c.cidfile, name: c.name)
            } else {
                engine.remove(cidfile: c.cidfile, name: c.name)
            }
        }
        return sweeper.sweep(sessions: sessions, processes: targets.processes)
    }
}
