/// One sign on a process's command line (/proc/PID/cmdline, NULs as spaces) or name
/// (/proc/PID/comm) that it is a server of some kind; each kind's `ServerFacts.processMarks`
/// lists its signs, and attach (`Discovery.ServerIdentity`) tells servers apart by them.
public enum ProcessMark: Sendable, Equatable {
    /// The command line starts with it (a process title: `nginx:`, `uWSGI `, `gunicorn:`).
    case titlePrefix(String)
    /// The program's file name (argv[0] without its directory) is it.
    case program(String)
    /// The program's file name starts with it.
    case programPrefix(String)
    /// The process name (comm) is it.
    case comm(String)
    /// The process name starts with it.
    case commPrefix(String)
    /// One of the first three words, without directory, is it (`python3 /v/bin/gunicorn …`).
    case script(String)
    /// The command line contains it anywhere.
    case argument(String)
    /// The program is a `python…` and the command line contains one of these.
    case pythonWith([String])
}
