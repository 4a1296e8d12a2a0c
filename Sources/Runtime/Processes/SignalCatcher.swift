import Glibc
import Synchronization

/// Catches SIGINT, SIGTERM and SIGHUP into atomic counters that loops poll: the one signal
/// catcher of the process, for the dashboard and the headless commands alike.
///
/// Installed before curses starts, so ncurses leaves these signals alone (its own handler would
/// restore the terminal and exit, skipping stacktop's cleanup). The counters are the one piece
/// of process-wide state: a signal handler can reach nothing else. SA_RESTART: reads, writes and
/// waits restart after a signal; poll and nanosleep (never restarted on Linux) return EINTR.
public enum SignalCatcher {
    static let first = Atomic<Int32>(0)
    static let last = Atomic<Int32>(0)
    static let count = Atomic<Int>(0)
    static let caught: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers (idempotent).
    public static func install() {
        for signo in caught {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signo in
                _ = SignalCatcher.first.compareExchange(expected: 0, desired: signo, ordering: .relaxed)
                SignalCatcher.last.store(signo, ordering: .relaxed)
                SignalCatcher.count.add(1, ordering: .relaxed)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESTART)
            sigaction(signo, &action, nil)
        }
    }

    /// The first signal caught, if any.
    public static var firstCaught: Int32? {
        let signo = first.load(ordering: .relaxed)
        return signo == 0 ? nil : signo
    }

    /// The last signal caught, if any (it stays set).
    public static var pending: Int32? {
        let signo = last.load(ordering: .relaxed)
        return signo == 0 ? nil : signo
    }

    /// How many signals were caught so far.
    public static var caughtCount: Int { count.load(ordering: .relaxed) }
}
