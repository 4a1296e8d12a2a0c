/// What discovery reads from the machine; `LinuxSystemView` (Runtime) reads /proc and runs the
/// servers' own config dumps, tests pass a `FakeSystemView`.
public protocol SystemView: Sendable {
    /// Every process now.
    func processes() -> [SystemProcess]
    /// Listening TCP sockets (IPv4 and IPv6).
    func tcpListeners() -> [ProcNet.TCPListener]
    /// Unix sockets with a path.
    func unixSockets() -> [ProcNet.UnixSocket]
    /// The inodes of the sockets `pid` holds open (nil when its fds cannot be read).
    func socketInodes(of pid: Int32) -> Set<UInt64>?
    /// The process's working directory.
    func workingDirectory(of pid: Int32) -> String?
    /// /proc/PID/cgroup text.
    func cgroup(of pid: Int32) -> String?
    /// Runs a program (no shell) and returns its exit status and output (stdout then stderr);
    /// nil when it cannot be started or times out.
    func run(_ argv: [String]) -> (status: Int32, output: String, errors: String)?
    /// Whether a file exists.
    func exists(_ path: String) -> Bool
    /// A text file's contents (configs), nil when it cannot be read.
    func read(_ path: String) -> String?
    /// The regular files `pid` holds open (absolute paths, from /proc/PID/fd): where a server
    /// whose command line was retitled (setproctitle) writes its logs.
    func openFiles(of pid: Int32) -> [String]
}

extension SystemView {
    public func openFiles(of pid: Int32) -> [String] { [] }
}

/// One process as discovery sees it.
public struct SystemProcess: Sendable, Equatable {
    public var pid: Int32
    public var ppid: Int32
    public var startTime: UInt64
    public var uid: UInt32
    public var comm: String
    public var commandLine: String

    public init(pid: Int32, ppid: Int32, startTime: UInt64, uid: UInt32, comm: String, commandLine: String) {
        self.pid = pid
        self.ppid = ppid
        self.startTime = startTime
        self.uid = uid
        self.comm = comm
        self.commandLine = commandLine
    }

    /// Its argv (split on spaces: /proc/PID/cmdline with NULs as spaces).
    public var args: [String] { commandLine.split(separator: " ").map(String.init) }
}
