import StackModel

/// One consistent reading of the machine for one discovery: processes, sockets, and which
/// process holds which socket (read once, on first need).
struct World {
    let system: any SystemView
    let processes: [SystemProcess]
    let byPid: [Int32: SystemProcess]
    let listeners: [ProcNet.TCPListener]
    let unix: [ProcNet.UnixSocket]
    private var owners: [UInt64: [Int32]]?

    init(system: any SystemView) {
        self.system = system
        processes = system.processes()
        byPid = Dictionary(processes.map { ($0.pid, $0) }, uniquingKeysWith: { a, _ in a })
        listeners = system.tcpListeners()
        unix = system.unixSockets()
    }

    func kind(_ p: SystemProcess) -> ServerKind? {
        ServerIdentity.kind(commandLine: p.commandLine, comm: p.comm)
    }

    /// The processes holding any of `inodes`.
    mutating func holders(of inodes: Set<UInt64>) -> [SystemProcess] {
        if owners == nil {
            var map: [UInt64: [Int32]] = [:]
            for p in processes {
                for inode in system.socketInodes(of: p.pid) ?? [] { map[inode, default: []].append(p.pid) }
            }
            owners = map
        }
        let pids = Set(inodes.flatMap { owners?[$0] ?? [] })
        return processes.filter { pids.contains($0.pid) }
    }

    /// The top of a set of holders: one whose parent is not a holder (the oldest such), then
    /// climbed through parents of the same kind.
    func top(of holders: [SystemProcess]) -> SystemProcess? {
        let pids = Set(holders.map(\.pid))
        guard
            let first = holders.filter({ !pids.contains($0.ppid) })
                .min(by: { ($0.startTime, $0.pid) < ($1.startTime, $1.pid) })
        else { return nil }
        return climb(first)
    }

    /// Climbs from `p` through parents of the same server kind (a worker to its master).
    func climb(_ p: SystemProcess) -> SystemProcess {
        var top = p
        while let parent = byPid[top.ppid], parent.pid > 1, let k = kind(parent),
            k == kind(top) || (k == .apache && kind(top) == .modWSGI)
        {
            top = parent
        }
        return top
    }

    /// The top process holding the listening socket at `endpoint`.
    mutating func topHolder(of endpoint: Endpoint) -> SystemProcess? {
        switch endpoint {
        case let .unix(path):
            let inodes = Set(unix.filter { $0.path == path && $0.isListening }.map(\.inode))
            return inodes.isEmpty ? nil : top(of: holders(of: inodes))
        case let .tcp(host, port):
            let inodes = Set(
                listeners.filter {
                    $0.port == port && ProcNet.address($0.host, serves: host == "localhost" ? "127.0.0.1" : host)
                }.map(\.inode))
            return inodes.isEmpty ? nil : top(of: holders(of: inodes))
        }
    }

    /// Parents of `pid`, nearest first, up to (not including) pid 1.
    func ancestors(of pid: Int32) -> [SystemProcess] {
        var out: [SystemProcess] = []
        var at = byPid[pid]?.ppid ?? 0
        while at > 1, let p = byPid[at], out.count < 64 {
            out.append(p)
            at = p.ppid
        }
        return out
    }

    /// A server as found: its identity, what its command line says, its unit.
    func server(_ p: SystemProcess, kind: ServerKind) -> DiscoveredDeploy.Server {
        let args = p.args
        var listens: [Endpoint] = []
        if kind == .gunicorn {
            listens = ServerIdentity.options(["-b", "--bind"], in: args).compactMap { Endpoint.parse($0) }
        } else if kind == .uwsgi {
            listens = ServerIdentity.options(["--socket", "-s", "--http", "--uwsgi-socket", "--http-socket"], in: args)
                .compactMap { Endpoint.parse($0) }
        }
        if listens.isEmpty, kind == .gunicorn || kind == .uwsgi, let held = system.socketInodes(of: p.pid) {
            // A retitled process (setproctitle: `gunicorn: master [app:app]`) shows no options:
            // its listening sockets are the ones it holds.
            listens =
                listeners.filter { held.contains($0.inode) }.map { Endpoint.tcp(host: $0.host, port: $0.port) }
                + system.unixSockets().filter { $0.isListening && held.contains($0.inode) }.map {
                    Endpoint.unix(path: $0.path)
                }
        }
        let cwd = system.workingDirectory(of: p.pid) ?? "/"
        var logs = ServerIdentity.appLogs(kind: kind, args: args)
        if kind == .gunicorn, logs.access.isEmpty, logs.error.isEmpty, !args.contains("--access-logfile") {
            // Retitled, or logs named in a config file: the log files it holds open.
            let open = system.openFiles(of: p.pid).filter { $0.hasSuffix(".log") }
            logs.access = open.filter { ServerIdentity.basename($0).contains("access") }
            logs.error = open.filter { ServerIdentity.basename($0).contains("error") }
        }
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : NginxConfig.prefixJoin(cwd, path) }
        return DiscoveredDeploy.Server(
            kind: kind, pid: p.pid, startTime: p.startTime, uid: p.uid, commandLine: p.commandLine,
            listens: listens, accessLogs: logs.access.map(absolute), errorLogs: logs.error.map(absolute),
            unit: system.cgroup(of: p.pid).flatMap { CgroupUnit.unit(cgroupText: $0) })
    }

    /// " (servers listen on :80, :8080)" for the ports known servers hold, or "".
    mutating func knownPortsHint() -> String {
        var ports = Set<Int>()
        for l in listeners where ports.count < 12 {
            if let top = top(of: holders(of: [l.inode])), kind(top) != nil { ports.insert(l.port) }
        }
        guard !ports.isEmpty else { return " (no web server stacktop knows listens on any port here)" }
        return " (web servers listen on " + ports.sorted().map { ":\($0)" }.joined(separator: ", ") + ")"
    }
}
