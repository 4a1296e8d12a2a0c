import Glibc
import Synchronization

/// Catches SIGINT, SIGTERM and SIGHUP into an atomic flag the input loop polls, so the terminal is
/// restored and the stack stopped on those paths too.
///
/// Installed before curses starts, so ncurses leaves these signals alone (its own handler would
/// restore the terminal and exit, skipping stacktop's cleanup). The flag is the one piece of
/// process-wide state: a signal handler can reach nothing else.
public enum SignalTrap {
    static let received = Atomic<Int32>(0)
    static let count = Atomic<Int>(0)
    static let caught: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers (idempotent).
    public static func install() {
        for signo in caught {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signo in
                SignalTrap.received.store(signo, ordering: .relaxed)
                SignalTrap.count.add(1, ordering: .relaxed)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signo, &action, nil)
        }
    }

    /// The last signal caught, if any (it stays set).
    public static var pending: Int32? {
        let signo = received.load(ordering: .relaxed)
        return signo == 0 ? nil : signo
    }

    /// How many signals were caught so far.
    public static var caughtCount: Int { count.load(ordering: .relaxed) }
}
