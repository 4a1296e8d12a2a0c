import StackModel

/// Finds the deploy behind a target: listening socket → the processes holding it → their top
/// process (master) → the next hop named by the front server's own configuration → the app
/// server holding that socket → supervisord above them; the unit from the cgroup.
///
/// All reading goes through a `SystemView`, so the logic runs on fakes in tests.
public struct Discoverer: Sendable {
    public let system: any SystemView

    public init(system: any SystemView) { self.system = system }

    /// The kinds named in "not a web server" messages.
    static let known = "nginx, apache2, lighttpd, gunicorn, uWSGI, waitress, flask/Werkzeug, flup or supervisord"

    /// The deploy `target` leads to; `text` is the target as typed, for messages.
    public func discover(_ target: AttachTarget, as text: String? = nil) throws(DiscoveryError) -> DiscoveredDeploy {
        var world = World(system: system)
        return try discover(target, text: text ?? target.description, world: &world)
    }

    /// Every deploy on the machine: one per top server process holding a listening TCP socket
    /// (app servers that a front forwards to are part of the front's deploy).
    public func list() -> [DiscoveredDeploy] {
        var world = World(system: system)
        var seenTops = Set<Int32>()
        var found: [DiscoveredDeploy] = []
        for l in world.listeners.sorted(by: { ($0.port, $0.host) < ($1.port, $1.host) }) {
            guard let top = world.top(of: world.holders(of: [l.inode])), !seenTops.contains(top.pid),
                let kind = world.kind(top), kind != .supervisord
            else { continue }
            guard let deploy = try? discover(.port(host: nil, port: l.port), text: ":\(l.port)", world: &world) else {
                continue
            }
            for s in deploy.servers where s.kind != .supervisord { seenTops.insert(s.pid) }
            seenTops.insert(top.pid)
            found.append(deploy)
        }
        // An app server behind a front was listed with it: drop deploys that are the app of another.
        let backs = Set(found.compactMap { $0.front == nil ? nil : $0.app?.pid })
        return found.filter { !($0.front == nil && $0.app.map { backs.contains($0.pid) } == true) }
    }

    private func discover(_ target: AttachTarget, text: String, world: inout World) throws(DiscoveryError)
        -> DiscoveredDeploy
    {
        var entry: SystemProcess
        var door: Endpoint?
        switch target {
        case let .port(host, port):
            let listeners = world.listeners.filter { $0.port == port && ProcNet.address($0.host, serves: host) }
            guard !listeners.isEmpty else {
                throw DiscoveryError(target: text, "nothing listens on port \(port)" + world.knownPortsHint())
            }
            let holders = world.holders(of: Set(listeners.map(\.inode)))
            guard let top = world.top(of: holders) else {
                throw DiscoveryError(
                    target: text,
                    "a socket listens on port \(port) (uid \(listeners[0].uid)), but stacktop "
                        + "cannot see which process holds it (run stacktop as root, or as that user)")
            }
            entry = top
            door = .tcp(host: listeners[0].host, port: port)
        case let .unixSocket(path):
            let sockets = world.unix.filter { $0.path == path && $0.isListening }
            guard !sockets.isEmpty else {
                throw DiscoveryError(
                    target: text,
                    system.exists(path)
                        ? "no process listens on this unix socket (the file exists; a stale socket?)"
                        : "no such unix socket")
            }
            guard let top = world.top(of: world.holders(of: Set(sockets.map(\.inode)))) else {
                throw DiscoveryError(
                    target: text, "stacktop cannot see which process holds this socket (run it as root)")
            }
            entry = top
        case let .pid(pid):
            guard let p = world.byPid[pid] else { throw DiscoveryError(target: text, "no process with pid \(pid)") }
            entry = world.climb(p)
        }
        guard var kind = world.kind(entry) else {
            throw DiscoveryError(
                target: text,
                "pid \(entry.pid) (\(entry.commandLine.prefix(80))) is not a web server "
                    + "stacktop knows (\(Self.known))")
        }
        if kind == .modWSGI, let parent = world.byPid[entry.ppid], world.kind(parent) == .apache {
            entry = world.climb(parent)
            kind = .apache
        }
        if kind == .supervisord {
            // Pointed at supervisord: its front server's deploy (or its app server's).
            let children = world.processes.filter { $0.ppid == entry.pid }
            guard
                let child = children.first(where: { world.kind($0)?.role == .front })
                    ?? children.first(where: { world.kind($0)?.role == .app })
            else {
                throw DiscoveryError(target: text, "supervisord (pid \(entry.pid)) runs no web server stacktop knows")
            }
            entry = child
            kind = world.kind(child)!
        }
        if kind.role == .app, let port = frontForwarding(to: entry, world: &world) {
            // Pointed at an app server some front server forwards to: the front's deploy.
            return try discover(.port(host: nil, port: port), text: text, world: &world)
        }
        var notes: [String] = []
        var hostedByFront = false
        var front: DiscoveredDeploy.Server?
        var app: DiscoveredDeploy.Server?
        var hop: HopProtocol?
        if kind.role == .front {
            var server = world.server(entry, kind: kind)
            if kind == .nginx {
                let config = try nginxConfig(of: entry, text: text)
                var blocks = config.servers
                if let port = door?.port { blocks = config.servers(listeningOn: port) }
                server.listens = Array(Set(blocks.flatMap(\.listens))).sorted { $0.description < $1.description }
                server.accessLogs = unique(blocks.flatMap(\.accessLogs))
                server.errorLogs = unique(blocks.flatMap(\.errorLogs))
                server.config = config.mainFile
                if let forward = blocks.flatMap(\.forwards).first {
                    hop = HopProtocol(rawValue: forward.proto) ?? .http
                    if let backend = world.topHolder(of: forward.endpoint) {
                        let backKind = world.kind(backend) ?? (hop == .fastcgi ? .flup : nil)
                        if let backKind, backKind.role == .app {
                            var a = world.server(backend, kind: backKind)
                            if !a.listens.contains(forward.endpoint) { a.listens.insert(forward.endpoint, at: 0) }
                            app = a
                        } else {
                            notes.append(
                                "nginx forwards to \(forward.endpoint), held by pid \(backend.pid), not an app server stacktop knows"
                            )
                        }
                    } else {
                        notes.append("nginx forwards to \(forward.endpoint), where nothing listens")
                    }
                }
            } else if kind == .apache {
                let config = try apacheConfig(of: entry, text: text)
                server.listens = config.listens
                server.accessLogs = config.accessLogs
                server.errorLogs = config.errorLogs
                if let group = config.daemons.first {
                    // mod_wsgi daemon mode: the daemons are children of Apache's parent, named by display-name.
                    hop = .embedded
                    let daemons = world.processes.filter {
                        $0.ppid == entry.pid && group.title.map($0.commandLine.hasPrefix) == true
                    }
                    hostedByFront = true
                    if let title = group.title {
                        app = DiscoveredDeploy.Server(
                            kind: .modWSGI, pid: daemons.first?.pid ?? entry.pid,
                            startTime: daemons.first?.startTime ?? entry.startTime,
                            uid: daemons.first?.uid ?? entry.uid,
                            commandLine: title)
                    } else {
                        notes.append(
                            "mod_wsgi group \(group.name) has no display-name: its daemons are shown as Apache's workers"
                        )
                    }
                } else if let proxy = config.proxies.first, let backend = world.topHolder(of: proxy),
                    let backKind = world.kind(backend), backKind.role == .app
                {
                    hop = .http
                    var a = world.server(backend, kind: backKind)
                    if !a.listens.contains(proxy) { a.listens.insert(proxy, at: 0) }
                    app = a
                }
            } else if kind == .lighttpd {
                let config = try lighttpdConfig(of: entry, text: text)
                if let port = config.port { server.listens = [.tcp(host: config.bind ?? "0.0.0.0", port: port)] }
                server.accessLogs = config.accessLogs
                server.errorLogs = config.errorLogs
                if let backend = config.backends.first {
                    hop = .fastcgi
                    if let bin = backend.binPath {
                        // lighttpd spawns the backends: its children running bin-path.
                        let children = world.processes.filter { $0.ppid == entry.pid && $0.commandLine.hasPrefix(bin) }
                        let sockets = world.unix.filter { s in
                            backend.socket.map { s.isListening && (s.path == $0 || s.path.hasPrefix($0 + "-")) }
                                ?? false
                        }
                        app = DiscoveredDeploy.Server(
                            kind: .flup, pid: children.first?.pid ?? entry.pid,
                            startTime: children.first?.startTime ?? entry.startTime,
                            uid: children.first?.uid ?? entry.uid, commandLine: bin,
                            listens: sockets.map { .unix(path: $0.path) })
                        hostedByFront = true
                    } else if let endpoint = backend.socket.map({ Endpoint.unix(path: $0) })
                        ?? backend.port.map({ Endpoint.tcp(host: backend.host ?? "127.0.0.1", port: $0) }),
                        let holder = world.topHolder(of: endpoint)
                    {
                        app = world.server(holder, kind: world.kind(holder) ?? .flup)
                        if app?.listens.contains(endpoint) == false { app?.listens.insert(endpoint, at: 0) }
                    }
                }
            } else {
                notes.append("the next hop of \(kind.rawValue) is not read yet: its children are shown as its workers")
            }
            front = server
        } else {
            app = world.server(entry, kind: kind)
        }
        let top = front ?? app!
        if door == nil {
            door =
                top.listens.first { if case .tcp = $0 { return true } else { return false } }
                ?? world.listeners.first { l in world.holders(of: [l.inode]).contains { $0.pid == top.pid } }
                .map { .tcp(host: $0.host, port: $0.port) }
        }
        guard let door else {
            let listens = top.listens.map(\.description).joined(separator: ", ")
            throw DiscoveryError(
                target: text,
                "\(top.name) (pid \(top.pid)) listens on no TCP port"
                    + (listens.isEmpty ? "" : " (only \(listens))")
                    + ", and no front server stacktop can read forwards to it: nothing to attach to")
        }
        var supervisor: DiscoveredDeploy.Server?
        for s in [front, app].compactMap({ $0 }) {
            if let sup = world.ancestors(of: s.pid).first(where: { world.kind($0) == .supervisord }) {
                var server = world.server(sup, kind: .supervisord)
                server.config = ServerIdentity.option(["-c", "--configuration"], in: sup.args)
                supervisor = server
                break
            }
        }
        var deploy = DiscoveredDeploy(
            target: text, front: front, app: app, hop: hop, supervisor: supervisor, frontDoor: door)
        deploy.notes = notes
        deploy.appHostedByFront = hostedByFront && app != nil
        return deploy
    }

    /// The port of a front server (an nginx master) whose configuration forwards to `app`'s
    /// listening socket, if there is one.
    private func frontForwarding(to app: SystemProcess, world: inout World) -> Int? {
        for master in world.processes where world.kind(master) == .nginx && world.climb(master).pid == master.pid {
            guard let config = try? nginxConfig(of: master, text: "") else { continue }
            for block in config.servers {
                for forward in block.forwards where world.topHolder(of: forward.endpoint)?.pid == app.pid {
                    if let port = block.listens.compactMap(\.port).first { return port }
                }
            }
        }
        return nil
    }

    /// lighttpd's configuration as it runs (`lighttpd -p -f CONFIG`, the parent's own config).
    private func lighttpdConfig(of server: SystemProcess, text: String) throws(DiscoveryError) -> LighttpdConfig {
        let args = server.args
        let binary = args.first.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/usr/sbin/lighttpd"
        var argv = [binary, "-p", "-f", ServerIdentity.option(["-f"], in: args) ?? "/etc/lighttpd/lighttpd.conf"]
        if let modules = ServerIdentity.option(["-m"], in: args) { argv += ["-m", modules] }
        guard let result = system.run(argv), result.status == 0 else {
            let why =
                system.run(argv).map {
                    ($0.errors + $0.output).split(separator: "\n").last.map(String.init) ?? "exit status \($0.status)"
                }
                ?? "it did not run"
            throw DiscoveryError(
                target: text,
                "cannot read the configuration of lighttpd (pid \(server.pid)): "
                    + "\(argv.joined(separator: " ")) said: \(why)")
        }
        return LighttpdConfig.parse(result.output)
    }

    /// Apache's configuration as its parent runs it: the files `DUMP_INCLUDES` lists, read.
    private func apacheConfig(of parent: SystemProcess, text: String) throws(DiscoveryError) -> ApacheConfig {
        let argv = ApacheConfig.dumpInvocation(parentArgs: parent.args)
        guard let result = system.run(argv) else {
            throw DiscoveryError(
                target: text, "cannot run \(argv.joined(separator: " ")) to read Apache's configuration")
        }
        let files = ApacheConfig.files(dumpIncludes: result.output)
        guard result.status == 0, !files.isEmpty else {
            let why =
                (result.errors + result.output).split(separator: "\n").last.map(String.init)
                ?? "exit status \(result.status)"
            throw DiscoveryError(
                target: text,
                "cannot read the configuration of Apache (pid \(parent.pid)): "
                    + "\(argv.joined(separator: " ")) said: \(why)")
        }
        var texts: [(path: String, text: String)] = []
        for f in files {
            guard let t = system.read(f) else {
                throw DiscoveryError(
                    target: text, "cannot read \(f), a configuration file of Apache (pid \(parent.pid))")
            }
            texts.append((f, t))
        }
        let root = ServerIdentity.option(["-d"], in: parent.args) ?? "/etc/apache2"
        return ApacheConfig.parse(texts, serverRoot: root)
    }

    /// nginx's configuration as its master runs it (`nginx -T` with the master's -p, -c, -g).
    private func nginxConfig(of master: SystemProcess, text: String) throws(DiscoveryError) -> NginxConfig {
        let inv = ServerIdentity.nginxInvocation(commandLine: master.commandLine)
        var argv = [inv.binary, "-T", "-q"]
        if let p = inv.prefix { argv += ["-p", p] }
        if let c = inv.config { argv += ["-c", c] }
        if let g = inv.globals { argv += ["-g", g] }
        guard let result = system.run(argv) else {
            throw DiscoveryError(
                target: text, "cannot run \(argv.joined(separator: " ")) to read nginx's configuration")
        }
        guard result.status == 0 else {
            let why = result.errors.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
            throw DiscoveryError(
                target: text,
                "cannot read the configuration of nginx (pid \(master.pid)): "
                    + "\(argv.joined(separator: " ")) said: \(why)")
        }
        let prefix = inv.prefix ?? "/usr/share/nginx/"
        let main =
            inv.config.map { $0.hasPrefix("/") ? $0 : NginxConfig.prefixJoin(prefix, $0) } ?? "/etc/nginx/nginx.conf"
        return try NginxConfig.parse(dump: result.output, mainPath: main, prefix: prefix)
    }

    private func unique(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}
