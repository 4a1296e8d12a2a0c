import StackModel

/// A running deploy found on the machine: its front server, app server and supervisor (each
/// when present), how they connect, and where they log. Made by `Discoverer`; pure data.
public struct DiscoveredDeploy: Sendable, Equatable {
    /// One server of the deploy, as found: its top process (master, parent) and what its
    /// configuration or command line says.
    public struct Server: Sendable, Equatable {
        public var kind: ServerKind
        /// The top process: nginx/uWSGI master, gunicorn arbiter, Apache parent, supervisord.
        public var pid: Int32
        public var startTime: UInt64
        public var uid: UInt32
        public var commandLine: String
        /// Where it listens (for an app server: the socket the front forwards to).
        public var listens: [Endpoint]
        public var accessLogs: [String]
        public var errorLogs: [String]
        /// The configuration it was read from (nginx -c, supervisord -c), when known.
        public var config: String?
        /// The service-manager unit it runs in (from /proc/PID/cgroup), when any.
        public var unit: String?

        public init(
            kind: ServerKind, pid: Int32, startTime: UInt64, uid: UInt32, commandLine: String,
            listens: [Endpoint] = [], accessLogs: [String] = [], errorLogs: [String] = [],
            config: String? = nil, unit: String? = nil
        ) {
            self.kind = kind
            self.pid = pid
            self.startTime = startTime
            self.uid = uid
            self.commandLine = commandLine
            self.listens = listens
            self.accessLogs = accessLogs
            self.errorLogs = errorLogs
            self.config = config
            self.unit = unit
        }

        /// The component name it gets in the stack (its kind's name).
        public var name: String { kind.rawValue }
    }

    /// The target as the user gave it.
    public var target: String
    public var front: Server?
    public var app: Server?
    /// How the front reaches the app (`http`, `uwsgi`, `fastcgi`), when there is a front.
    public var hop: HopProtocol?
    public var supervisor: Server?
    /// The TCP endpoint clients use (the front's, or the app's when it stands alone).
    public var frontDoor: Endpoint
    /// What discovery could not follow ("nginx forwards to unix:/x, where nothing listens").
    public var notes: [String] = []
    /// The app's processes are children of the front server (mod_wsgi daemons, FastCGI
    /// backends lighttpd spawns): found in its tree by their command line.
    public var appHostedByFront = false

    public init(
        target: String, front: Server?, app: Server?, hop: HopProtocol?, supervisor: Server?,
        frontDoor: Endpoint
    ) {
        self.target = target
        self.front = front
        self.app = app
        self.hop = hop
        self.supervisor = supervisor
        self.frontDoor = frontDoor
    }

    /// Front, app, supervisor: those present, in that order.
    public var servers: [Server] { [front, app, supervisor].compactMap { $0 } }

    /// Whether stacktop's load may go to the front door: only when it answers on loopback.
    public var frontDoorIsLoopback: Bool {
        guard case let .tcp(host, _) = frontDoor else { return false }
        return ["127.0.0.1", "::1", "0.0.0.0", "::", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// The URL of the front door as stacktop reaches it (loopback when the listener accepts it).
    public var url: String {
        guard case let .tcp(host, port) = frontDoor else { return "" }
        if frontDoorIsLoopback { return "http://127.0.0.1:\(port)" }
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// One line for `attach --list`: "nginx 1234 → gunicorn 1240 (unix:/run/app.sock) under supervisord 1200".
    public var summary: String {
        var parts: [String] = []
        if let front { parts.append("\(front.name) \(front.pid)") }
        if let app {
            let via =
                front == nil
                ? ""
                : hop == .embedded
                    ? " (daemon mode)"
                    : " (\(hop?.rawValue ?? "?") \(app.listens.first.map(\.description) ?? "?"))"
            parts.append("\(app.name) \(app.pid)\(via)")
        }
        var line = "\(frontDoor)  " + parts.joined(separator: " → ")
        if let supervisor { line += "  under supervisord \(supervisor.pid)" }
        if let unit = servers.compactMap(\.unit).first { line += "  unit \(unit)" }
        return line
    }
}
