import Glibc

/// A process that exited (or was found gone), with its pidfd when one was open.
struct ExitedProcess {
    let pid: Int32
    let startTime: UInt64
    let pidfd: PidFD?
}

/// Blocks one thread on a pidfd per watched process plus a wake-up pipe, and says which
/// processes exited: exit detection without polling.
///
/// Owned by one thread (not Sendable); other threads reach it only through `wakeUp`.
final class ExitWaiter {
    /// A watched process: its pidfd and the start time that names it.
    struct Watched {
        let pidfd: PidFD
        let startTime: UInt64
    }

    /// What one wait returned.
    struct Outcome {
        /// Processes whose pidfd turned readable, in no particular order, with the pidfd (kept
        /// open so the caller can still ask the kernel how the process ended).
        var exited: [ExitedProcess] = []
        /// The wake-up pipe was written to.
        var woken = false
    }

    let wakeUp: WakeUpPipe
    private(set) var watched: [Int32: Watched] = [:]
    private var pollSet: [pollfd] = []
    private var pollPids: [Int32] = []
    private var dirty = true

    init(wakeUp: WakeUpPipe) { self.wakeUp = wakeUp }

    /// Starts watching `pid`; false if it is already gone (no pidfd could be opened).
    func watch(pid: Int32, startTime: UInt64) -> Bool {
        if let w = watched[pid], w.startTime == startTime { return true }
        guard let fd = PidFD(pid: pid) else { return false }
        watched[pid] = Watched(pidfd: fd, startTime: startTime)
        dirty = true
        return true
    }

    /// Stops watching `pid` and closes its pidfd.
    func unwatch(_ pid: Int32) {
        if watched.removeValue(forKey: pid) != nil { dirty = true }
    }

    func isWatching(_ pid: Int32) -> Bool { watched[pid] != nil }

    /// Blocks until a watched process exits, the pipe is written to, or `timeoutMs` passes
    /// (0: just look; -1: no limit). Exited processes are unwatched.
    func wait(timeoutMs: Int) -> Outcome {
        if dirty { rebuild() }
        var outcome = Outcome()
        let r = pollSet.withUnsafeMutableBufferPointer {
            poll($0.baseAddress, nfds_t($0.count), Int32(clamping: timeoutMs))
        }
        guard r > 0 else { return outcome }
        if pollSet[0].revents != 0 {
            wakeUp.drain()
            outcome.woken = true
        }
        for i in 1..<pollSet.count where pollSet[i].revents != 0 {
            let pid = pollPids[i]
            if let w = watched[pid] {
                outcome.exited.append(ExitedProcess(pid: pid, startTime: w.startTime, pidfd: w.pidfd))
            }
            unwatch(pid)
        }
        return outcome
    }

    private func rebuild() {
        pollSet = [pollfd(fd: wakeUp.readFD, events: Int16(POLLIN), revents: 0)]
        pollPids = [0]
        for (pid, w) in watched {
            pollSet.append(pollfd(fd: w.pidfd.fd, events: Int16(POLLIN), revents: 0))
            pollPids.append(pid)
        }
        dirty = false
    }
}
