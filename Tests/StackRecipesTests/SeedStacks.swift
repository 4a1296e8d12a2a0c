import StackModel
@testable import StackRecipes

/// The eleven seed stacks (and the pool example) built in code, as the topology files describe
/// them, plus the fixed launch context the snapshots are rendered with.
enum SeedStacks {
    /// Stack names in COMMON.md order, then the pool example.
    static let names = [
        "werkzeug", "waitress", "gunicorn", "nginx-gunicorn", "nginx-gunicorn-supervisord",
        "uwsgi", "nginx-uwsgi", "nginx-uwsgi-supervisord", "apache-mod-wsgi", "nginx-flup",
        "lighttpd-flup", "nginx-pool",
        // Further combinations the recipes support, verified the same way.
        "apache-gunicorn", "apache-pool", "lighttpd-gunicorn", "nginx-flup-threaded-tcp", "nginx-werkzeug",
        "nginx-uwsgi-http-tcp",
    ]

    /// The components of each stack.
    static func components(_ name: String) -> [Component] {
        let front = { (kind: ServerKind, workers: Int?, threads: Int?, upstream: [String]) in
            Component(
                name: "front", kind: kind, workers: workers, threads: threads, transport: .tcp, upstream: upstream)
        }
        let app = { (kind: ServerKind, proto: HopProtocol) in
            Component(
                name: "app", kind: kind, workers: 2, threads: kind == .modWSGI ? 4 : 1,
                processModel: kind == .flup ? .fork : nil, transport: .unix, proto: proto)
        }
        let supervisor = Component(name: "supervisor", kind: .supervisord, supervises: ["front", "app"])
        switch name {
        case "werkzeug": return [front(.werkzeug, nil, nil, [])]
        case "waitress": return [front(.waitress, nil, 4, [])]
        case "gunicorn": return [front(.gunicorn, 2, 1, [])]
        case "nginx-gunicorn": return [front(.nginx, 2, nil, ["app"]), app(.gunicorn, .http)]
        case "nginx-gunicorn-supervisord": return [front(.nginx, 2, nil, ["app"]), app(.gunicorn, .http), supervisor]
        case "uwsgi": return [front(.uwsgi, 2, 1, [])]
        case "nginx-uwsgi": return [front(.nginx, 2, nil, ["app"]), app(.uwsgi, .uwsgi)]
        case "nginx-uwsgi-supervisord": return [front(.nginx, 2, nil, ["app"]), app(.uwsgi, .uwsgi), supervisor]
        case "apache-mod-wsgi":
            var a = app(.modWSGI, .embedded)
            a.inside = "front"
            a.transport = .tcp
            return [front(.apache, 1, 25, ["app"]), a]
        case "nginx-flup": return [front(.nginx, 2, nil, ["app"]), app(.flup, .fastcgi)]
        case "lighttpd-flup":
            var a = app(.flup, .fastcgi)
            a.inside = "front"
            a.transport = .tcp
            return [front(.lighttpd, nil, nil, ["app"]), a]
        case "nginx-pool":
            var second = app(.uwsgi, .http)
            second.name = "app2"
            return [front(.nginx, 2, nil, ["app", "app2"]), app(.gunicorn, .http), second]
        case "apache-gunicorn": return [front(.apache, 1, 25, ["app"]), app(.gunicorn, .http)]
        case "apache-pool":
            var second = app(.waitress, .http)
            second.name = "app2"
            second.transport = .tcp
            return [front(.apache, 2, 10, ["app", "app2"]), app(.gunicorn, .http), second]
        case "lighttpd-gunicorn": return [front(.lighttpd, nil, nil, ["app"]), app(.gunicorn, .http)]
        case "nginx-flup-threaded-tcp":
            var a = app(.flup, .fastcgi)
            a.processModel = .threaded
            a.transport = .tcp
            return [front(.nginx, 1, nil, ["app"]), a]
        case "nginx-werkzeug": return [front(.nginx, 1, nil, ["app"]), app(.werkzeug, .http)]
        case "nginx-uwsgi-http-tcp":
            var a = app(.uwsgi, .http)
            a.transport = .tcp
            return [front(.nginx, 1, nil, ["app"]), a]
        default: preconditionFailure("no seed stack \(name)")
        }
    }

    /// The topology of seed stack `name` serving the app in `appDir`.
    static func topology(
        _ name: String, appDir: String = "/APP", venv: String? = nil,
        module: String = "app:app", isDemo: Bool = true
    ) -> Topology {
        Topology(
            name: name, description: "seed stack \(name)", sourcePath: "",
            app: AppSpec(module: module, directory: appDir, venv: venv, isDemo: isDemo),
            components: components(name), traffic: TrafficSpec())
    }

    /// Fixed ports: the front door gets `base`, other TCP listeners base+1, base+2.
    static func ports(_ name: String, base: Int) -> [String: Int] {
        ["front": base, "app": base + 1, "app2": base + 2]
    }

    /// The context snapshots are rendered with.
    static let snapshotContext = LaunchContext(
        runDir: "/RUN", ports: ports("", base: 8000),
        tools: Toolchain(), venv: "/VENV", runningAsRoot: true)
}
