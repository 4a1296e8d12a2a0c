import StackModel
import StackRecipes

/// Turns a discovered deploy into the same values a launched stack is described by — a
/// `Topology` for the dashboard's diagram and a `Plan` whose process specs tell the watcher how
/// to label processes — so everything after discovery runs on one code path. Nothing in the
/// plan is ever executed: no files, no argv.
public enum AttachedPlan {
    /// The topology the dashboard draws for `deploy`.
    public static func topology(of deploy: DiscoveredDeploy) -> Topology {
        var components: [Component] = []
        let appTransport: Transport =
            deploy.app?.listens.first.map { if case .unix = $0 { return .unix } else { return .tcp } } ?? .tcp
        if let front = deploy.front {
            components.append(
                Component(
                    name: front.name, kind: front.kind, transport: .tcp,
                    port: deploy.frontDoor.port, upstream: deploy.app.map { [$0.name] } ?? []))
        }
        if let app = deploy.app {
            components.append(
                Component(
                    name: app.name, kind: app.kind, transport: deploy.front == nil ? .tcp : appTransport,
                    port: deploy.front == nil ? deploy.frontDoor.port : app.listens.first?.port,
                    proto: deploy.hop ?? .http,
                    inside: deploy.appHostedByFront ? deploy.front?.name : nil))
        }
        if let sup = deploy.supervisor {
            components.append(
                Component(
                    name: sup.name, kind: .supervisord,
                    supervises: [deploy.front, deploy.app].compactMap { $0 }.map(\.name)))
        }
        let dir = deploy.app.flatMap { _ in nil as String? } ?? "/"
        return Topology(
            name: "attached \(deploy.target)",
            description: "found running, not launched by stacktop: q detaches and stops nothing. \(deploy.summary)",
            sourcePath: "", app: AppSpec(module: "?", directory: dir, isDemo: false),
            components: components, traffic: TrafficSpec())
    }

    /// The plan the watcher and the flow monitor read: one process spec per server, labelled
    /// like a launched one; supervised servers are claimed by their master's command line.
    public static func plan(of deploy: DiscoveredDeploy) -> Plan {
        var specs: [ProcessSpec] = []
        if let sup = deploy.supervisor { specs.append(spec(sup, deploy: deploy, supervisor: nil)) }
        if let front = deploy.front { specs.append(spec(front, deploy: deploy, supervisor: deploy.supervisor?.name)) }
        if let app = deploy.app {
            // mod_wsgi's daemons live in Apache's tree: claimed there by their title.
            let host = deploy.appHostedByFront ? deploy.front?.name : deploy.supervisor?.name
            specs.append(spec(app, deploy: deploy, supervisor: host))
        }
        return Plan(
            topology: "attached \(deploy.target)", directories: [], files: [], processes: specs,
            frontDoorURL: deploy.url)
    }

    /// The component → root process seeds of the watcher: every server not under supervisord
    /// (supervised ones are found below supervisord, and found again when it restarts them).
    public static func roots(of deploy: DiscoveredDeploy) -> [(component: String, pid: Int32, startTime: UInt64)] {
        if let sup = deploy.supervisor { return [(sup.name, sup.pid, sup.startTime)] }
        return deploy.servers.filter { !(deploy.appHostedByFront && $0 == deploy.app) }.map {
            ($0.name, $0.pid, $0.startTime)
        }
    }

    private static func spec(_ s: DiscoveredDeploy.Server, deploy: DiscoveredDeploy, supervisor: String?) -> ProcessSpec
    {
        let readiness: Readiness
        let hosted = deploy.appHostedByFront && s == deploy.app
        switch hosted ? nil : s.listens.first {
        case let .unix(path)?: readiness = .unixSocket(path: path)
        case let .tcp(host, port)?:
            readiness = .tcp(host: host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host, port: port)
        case nil:
            if let p = deploy.frontDoor.port, s.kind.role != .supervisor, !hosted {
                readiness = .tcp(host: "127.0.0.1", port: p)
            } else {
                readiness = .withParent
            }
        }
        return ProcessSpec(
            component: s.name, kind: s.kind, argv: [], environment: [:], workingDirectory: "/",
            outputLog: "", logFiles: s.errorLogs + s.accessLogs, accessLog: s.accessLogs.first,
            readiness: readiness, stopSignal: .term, launchedBy: supervisor,
            roles: hosted ? RoleRule(root: .worker) : roles(of: s),
            claimMarkers: supervisor == nil ? [] : [normalized(s.commandLine)])
    }

    /// The command line as `ProcessSpec.claims` compares it (single spaces).
    static func normalized(_ commandLine: String) -> String {
        commandLine.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// How a found server's processes are labelled: as its kind's recipe labels a launched one,
    /// except a uWSGI without `--auto-procname`, whose children keep the master's command line
    /// (every child is then a worker: its http router, if any, cannot be told apart).
    public static func roles(of server: DiscoveredDeploy.Server) -> RoleRule {
        if server.kind == .uwsgi && !server.commandLine.contains("uWSGI master") { return RoleRule(root: .master) }
        return roles(of: server.kind)
    }

    /// How each kind's processes are labelled (as its recipe labels a launched one).
    public static func roles(of kind: ServerKind) -> RoleRule {
        switch kind {
        case .nginx:
            return RoleRule(
                root: .front, helperMarkers: ["cache manager", "cache loader"], workerMarkers: ["worker process"])
        case .apache, .lighttpd: return RoleRule(root: .front)
        case .gunicorn: return RoleRule(root: .master)
        case .uwsgi: return RoleRule(root: .master, helperMarkers: ["uWSGI http"], workerMarkers: ["uWSGI worker"])
        case .flup: return RoleRule(root: .master)
        case .waitress, .werkzeug, .modWSGI: return RoleRule(root: .worker)
        case .supervisord: return RoleRule(root: .supervisor)
        }
    }
}
