@testable import Discovery

/// A machine made of data: processes, sockets, fds, and canned program outputs.
struct FakeSystemView: SystemView {
    var procs: [SystemProcess] = []
    var tcp: [ProcNet.TCPListener] = []
    var unix: [ProcNet.UnixSocket] = []
    var fds: [Int32: Set<UInt64>] = [:]
    var cwd: [Int32: String] = [:]
    var cgroups: [Int32: String] = [:]
    /// argv joined by spaces → (status, stdout, stderr).
    var outputs: [String: (Int32, String, String)] = [:]
    var files: Set<String> = []
    var texts: [String: String] = [:]
    var open: [Int32: [String]] = [:]

    mutating func add(
        _ pid: Int32, _ ppid: Int32, _ cmd: String, comm: String, sockets: Set<UInt64> = [], uid: UInt32 = 0
    ) {
        procs.append(
            SystemProcess(pid: pid, ppid: ppid, startTime: UInt64(pid) * 7, uid: uid, comm: comm, commandLine: cmd))
        fds[pid] = sockets
    }

    func processes() -> [SystemProcess] { procs }
    func tcpListeners() -> [ProcNet.TCPListener] { tcp }
    func unixSockets() -> [ProcNet.UnixSocket] { unix }
    func socketInodes(of pid: Int32) -> Set<UInt64>? { fds[pid] }
    func workingDirectory(of pid: Int32) -> String? { cwd[pid] }
    func cgroup(of pid: Int32) -> String? { cgroups[pid] }
    func run(_ argv: [String]) -> (status: Int32, output: String, errors: String)? {
        outputs[argv.joined(separator: " ")].map { ($0.0, $0.1, $0.2) }
    }
    func exists(_ path: String) -> Bool { files.contains(path) || texts[path] != nil }
    func read(_ path: String) -> String? { texts[path] }
    func openFiles(of pid: Int32) -> [String] { open[pid] ?? [] }
}
