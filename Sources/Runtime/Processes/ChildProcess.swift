import Glibc
import Synchronization
import StackModel

/// A process stacktop spawned and must reap: signals go to it only until it is reaped, so a
/// recycled pid can never receive them.
public final class ChildProcess: Sendable {
    public let pid: Int32
    /// Start time in clock ticks since boot (0 if it could not be read).
    public let startTimeTicks: UInt64
    private let status: Mutex<ExitStatus?>
    /// Set for a process stacktop did not fork (a container's PID 1, whose parent is conmon):
    /// it cannot be waited for, so it counts as exited once /proc no longer shows it alive
    /// with the same start time, and this tells how it ended.
    private let adoptedExit: (@Sendable () -> ExitStatus)?

    public init(pid: Int32, startTimeTicks: UInt64) {
        self.pid = pid
        self.startTimeTicks = startTimeTicks
        self.status = Mutex(nil)
        self.adoptedExit = nil
    }

    /// A process another parent reaps (see `adoptedExit`).
    public init(adopting pid: Int32, startTimeTicks: UInt64, exitStatus: @escaping @Sendable () -> ExitStatus) {
        self.pid = pid
        self.startTimeTicks = startTimeTicks
        self.status = Mutex(nil)
        self.adoptedExit = exitStatus
    }

    /// Whether this is a process stacktop did not fork.
    public var isAdopted: Bool { adoptedExit != nil }

    /// How a process ended.
    public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        /// Decodes a waitpid status word.
        public init(waitStatus s: Int32) {
            self = (s & 0x7f) == 0 ? .exited((s >> 8) & 0xff) : .signaled(s & 0x7f)
        }

        public var description: String {
            switch self {
            case let .exited(code): return "exited with status \(code)"
            case let .signaled(sig): return "was killed by signal \(sig) (\(Signal(sig).name))"
            }
        }
    }

    /// The exit status once it has exited (reaping it then), nil while it runs. Never blocks.
    public func poll() -> ExitStatus? {
        status.withLock { current in
            if let current { return current }
            if let adoptedExit {
                let r = LinuxProcessTable().record(of: pid)
                if let r, !r.isDead, startTimeTicks == 0 || r.startTimeTicks == startTimeTicks { return nil }
                current = adoptedExit()
                return current
            }
            var s: Int32 = 0
            let r = waitpid(pid, &s, WNOHANG)
            if r == pid { current = ExitStatus(waitStatus: s) }
            if r < 0 && errno == ECHILD { current = .exited(0) }  // reaped elsewhere: gone anyway
            return current
        }
    }

    public var hasExited: Bool { poll() != nil }

    /// Sends `signal` unless the process was already reaped. Returns false if it was not sent.
    @discardableResult
    public func send(_ signal: Int32) -> Bool {
        status.withLock { current in
            guard current == nil else { return false }
            if adoptedExit != nil {
                // Not our child: make sure the pid still names the same process.
                guard let r = LinuxProcessTable().record(of: pid), !r.isDead,
                    startTimeTicks == 0 || r.startTimeTicks == startTimeTicks
                else { return false }
            }
            return kill(pid, signal) == 0
        }
    }

    /// Polls until it exits or `timeoutMs` passes; returns its status or nil on timeout.
    public func wait(timeoutMs: Int, intervalMs: Int = 5) -> ExitStatus? {
        let clock = Stopwatch()
        while true {
            if let s = poll() { return s }
            if clock.elapsedMs >= timeoutMs { return nil }
            Stopwatch.sleep(ms: intervalMs)
        }
    }
}
