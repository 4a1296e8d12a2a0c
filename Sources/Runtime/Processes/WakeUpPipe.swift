import CLinux
import Glibc

/// A pipe one thread blocks on (in poll) and any other thread writes to, to wake it up.
///
/// Both ends are non-blocking: a wake-up while the pipe is full is already pending, and a
/// drain reads until nothing is left.
public final class WakeUpPipe: Sendable {
    /// Poll this for POLLIN.
    public let readFD: Int32
    private let writeFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if stacktop_pipe_cloexec(&fds) != 0 { fds = [-1, -1] }
        for fd in fds where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    /// Wakes the thread polling `readFD` (safe from any thread).
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe; returns whether anything was in it.
    @discardableResult
    public func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var any = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if n > 0 { any = true; continue }
            if n < 0 && errno == EINTR { continue }
            return any
        }
    }

    /// Blocks until woken or `timeoutMs` passes (-1: no limit); returns whether it was woken.
    public func wait(timeoutMs: Int) -> Bool {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, Int32(clamping: timeoutMs))
        return r > 0 && drain()
    }

    deinit {
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }
}
