import CLinux
import Glibc

/// A pidfd: a handle on one process that cannot be confused with a later process reusing its
/// pid. It polls readable when the process exits (even before it is reaped), and signals sent
/// through it reach only that process. Works for processes that are not our children.
public final class PidFD: Sendable {
    public let pid: Int32
    public let fd: Int32

    /// Opens a pidfd for `pid`; nil if the process does not exist (or pidfds are unsupported).
    public init?(pid: Int32) {
        let fd = stacktop_pidfd_open(pid)
        guard fd >= 0 else { return nil }
        self.pid = pid
        self.fd = fd
    }

    /// Waits up to `timeoutMs` (0 = just look) for the process to exit; true once it has.
    public func waitForExit(timeoutMs: Int = 0) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let clock = Stopwatch()
        while true {
            let left = max(0, timeoutMs - clock.elapsedMs)
            let r = poll(&p, 1, Int32(left))
            if r < 0 && errno == EINTR { continue }
            return r > 0
        }
    }

    public var hasExited: Bool { waitForExit(timeoutMs: 0) }

    /// Sends `signal` to exactly this process; false if it has already exited.
    @discardableResult
    public func send(_ signal: Int32) -> Bool {
        stacktop_pidfd_send_signal(fd, signal) == 0
    }

    /// What the kernel keeps of how the process ended (PIDFD_INFO_EXIT, Linux 6.15+).
    public enum ExitInfo: Sendable, Equatable {
        /// It was reaped (by whoever is its parent): how it ended.
        case ended(ChildProcess.ExitStatus)
        /// Still running, or a zombie its parent has not reaped yet.
        case notReaped
        /// This kernel cannot tell (older than 6.15); `errno` names why.
        case unsupported(errno: Int32)
    }

    /// How the process ended, as the kernel recorded it when its parent reaped it: the only
    /// source left once a master has reaped its worker (the zombie's /proc entry is gone).
    public var exitInfo: ExitInfo {
        var status: Int32 = 0
        if stacktop_pidfd_exit_status(fd, &status) == 0 { return .ended(ChildProcess.ExitStatus(waitStatus: status)) }
        let e = errno
        return e == ENODATA || e == ESRCH ? .notReaped : .unsupported(errno: e)
    }

    deinit { close(fd) }
}
