import Glibc

/// Learns how a process of the stack ended that stacktop did not spawn (a worker its master
/// reaps), from the best source left: the zombie's /proc/PID/stat while its parent has not
/// reaped it yet, else the pidfd stacktop watched it with (the kernel keeps the status there
/// once the process is reaped, Linux 6.15+). When neither can tell, it says why.
struct ExitLookup {
    /// What was learnt.
    enum Answer: Equatable {
        case ended(ChildProcess.ExitStatus)
        /// Nothing could tell; the text says why.
        case unknown(String)
    }

    var statusReader = ExitStatusReader()
    /// How long to keep looking while the process is neither a readable zombie nor reaped
    /// (a zombie's /proc entry vanishes when it is reaped; the pidfd's record appears then).
    var patienceMs = 50

    /// How `pid` (started at `startTime`, watched through `pidfd` if one was open) ended;
    /// `parent` is its last known parent, for the message.
    func answer(pid: Int32, startTime: UInt64, pidfd: PidFD?, parent: Int32?) -> Answer {
        let clock = Stopwatch()
        var kernelCannotTell: Int32?
        while true {
            if let s = statusReader.status(of: pid, startTime: startTime) {
                if let signal = s.signal { return .ended(.signaled(signal)) }
                if let status = s.status { return .ended(.exited(status)) }
            }
            guard let pidfd else {
                return .unknown(
                    "it was gone before stacktop could open a pidfd on it, and \(Self.reaper(parent)) had already reaped it"
                )
            }
            switch pidfd.exitInfo {
            case let .ended(status): return .ended(status)
            case .notReaped: break
            case let .unsupported(e): kernelCannotTell = e
            }
            if let e = kernelCannotTell {
                return .unknown(
                    "\(Self.reaper(parent)) reaped it before stacktop could read /proc/\(pid)/stat, and this kernel keeps no exit status for pidfds (PIDFD_INFO_EXIT needs Linux 6.15; ioctl: \(String(cString: strerror(e))))"
                )
            }
            if clock.elapsedMs >= patienceMs {
                return .unknown("neither /proc/\(pid)/stat nor its pidfd said how it ended within \(patienceMs) ms")
            }
            Stopwatch.sleep(ms: 1)
        }
    }

    private static func reaper(_ parent: Int32?) -> String {
        parent.map { "its parent (pid \($0))" } ?? "its parent"
    }
}
