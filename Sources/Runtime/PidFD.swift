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

    deinit { close(fd) }
}
