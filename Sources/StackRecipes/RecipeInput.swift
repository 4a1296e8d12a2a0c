import StackModel

/// What every recipe reads: the topology, the launch context, and facts derived from both
/// (the front door, where each component listens, absolute run dir paths, environments).
struct RecipeInput: Sendable {
    let topology: Topology
    let context: LaunchContext
    /// The component clients talk to.
    let front: Component

    init(topology: Topology, context: LaunchContext) throws(RecipeError) {
        self.topology = topology
        self.context = context
        let names = Set(topology.components.map(\.name))
        for c in topology.components {
            for name in c.upstream + c.supervises + (c.inside.map { [$0] } ?? []) where !names.contains(name) {
                throw .inconsistent(c.name, "refers to '\(name)', which is not a component of this stack")
            }
        }
        let reached = Set(topology.components.flatMap(\.upstream))
        let fronts = topology.components.filter {
            $0.kind != .supervisord && $0.inside == nil && !reached.contains($0.name)
        }
        guard fronts.count == 1, let front = fronts.first else {
            let names = fronts.map(\.name).joined(separator: ", ")
            throw .inconsistent(
                "",
                "a stack needs exactly one front door (a component nobody forwards to); found \(fronts.count)\(names.isEmpty ? "" : ": \(names)")"
            )
        }
        self.front = front
    }

    /// The absolute path of `relative` inside the run dir.
    func path(_ relative: String) -> String { context.runDir + "/" + relative }

    /// The app the stack serves.
    var app: AppSpec { topology.app }

    /// The virtualenv the app and the Python servers run with.
    var venv: String { app.venv ?? context.venv }

    /// The path readiness probes ask for through HTTP: the topology's `app.health`.
    var probePath: String { app.health }

    /// The component named `name`, or a refusal naming `from` when it does not exist.
    func component(_ name: String, from: String) throws(RecipeError) -> Component {
        guard let c = topology.component(name) else {
            throw .inconsistent(from, "refers to '\(name)', which is not a component of this stack")
        }
        return c
    }

    /// The components that run inside `host`'s process tree.
    func hosted(in host: Component) -> [Component] {
        topology.components.filter { $0.inside == host.name }
    }

    /// The TCP port of `c`: the one the launch chose, else the fixed one from the topology.
    func port(of c: Component) throws(RecipeError) -> Int {
        guard let p = context.ports[c.name] ?? c.port else {
            throw RecipeError(c.name, .missingLaunchValue, "listens on TCP but the launch chose no port for it")
        }
        return p
    }

    /// The address `c` binds: 127.x.x.x or ::1 (`localhost` binds 127.0.0.1).
    func bindHost(of c: Component) throws(RecipeError) -> String {
        if c.host == "localhost" { return "127.0.0.1" }
        if c.host == "::1" { return c.host }
        let parts = c.host.split(separator: ".", omittingEmptySubsequences: false)
        let octets = parts.compactMap { UInt8($0) }
        guard parts.count == 4, octets.count == 4, octets[0] == 127 else {
            throw .unsafe(
                c.name,
                "host \(ConfigSyntax.debug(c.host)) is not a loopback address; stacktop binds 127.x.x.x, ::1 or localhost only"
            )
        }
        return c.host
    }

    /// Where `c` can be reached by the component forwarding to it.
    func endpoint(of c: Component) throws(RecipeError) -> Endpoint {
        if let host = c.inside { return .hosted(in: host) }
        if c.name == front.name || c.transport == .tcp {
            return .tcp(host: try bindHost(of: c), port: try port(of: c))
        }
        return .unix(path: path(RunDirLayout.runFile(c.name, "sock")))
    }

    /// `http://HOST:PORT/` for a TCP endpoint.
    static func url(host: String, port: Int, path: String = "/") -> String {
        "http://\(hostPort(host, port))\(path)"
    }

    /// `HOST:PORT`, with IPv6 hosts in brackets.
    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The environment of a server that runs no Python: PATH, LANG, and HOME/TMPDIR inside the
    /// run dir so nothing lands in the invoking user's home.
    var baseEnvironment: [String: String] {
        [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "HOME": path(RunDirLayout.tmp),
            "TMPDIR": path(RunDirLayout.tmp),
        ]
    }

    /// The environment of a Python server: the venv first on PATH, VIRTUAL_ENV, unbuffered output,
    /// no bytecode written.
    var pythonEnvironment: [String: String] {
        var env = baseEnvironment
        env["PATH"] = venv + "/bin:" + env["PATH", default: ""]
        env["VIRTUAL_ENV"] = venv
        env["PYTHONUNBUFFERED"] = "1"
        // Nothing written into the user's app dir; the venv's own caches are still read
        // (PYTHONPYCACHEPREFIX would ignore them and recompile every package at each launch).
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env
    }

    /// The venv's Python interpreter.
    var python: String { venv + "/bin/python" }
}

/// Where a component accepts requests from the one in front of it.
enum Endpoint: Sendable, Equatable {
    case tcp(host: String, port: Int)
    /// An absolute unix socket path in the run dir.
    case unix(path: String)
    /// The component runs inside another's process tree and has no address of its own.
    case hosted(in: String)
}
