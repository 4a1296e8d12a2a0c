import StackModel

/// How one operation is carried out on one component: a signal, a uWSGI master FIFO command or
/// a supervisorctl command, or why it cannot be.
public enum OperationMethod: Sendable, Equatable {
    /// Send `signal` (Linux number) to the root process of `component` (its master, its front
    /// parent; for mod_wsgi the Apache parent that hosts it).
    case signalRoot(component: String, signal: Int32)
    /// Write `command` to uWSGI's master FIFO (absolute path).
    case fifo(path: String, command: String)
    /// Run `argv` (absolute argv[0], never through a shell) and wait for it.
    case command(argv: [String])
    /// Stop `component` (its session, as a stop does) and start its process spec again: a
    /// restart of a component stacktop spawned itself. Runs until the new one is ready.
    case restartInPlace(component: String)
    /// The server has no such operation, or stacktop cannot do it here: why.
    case unsupported(String)
}

/// One operation as the dashboard and the drills see it: the method and a few words on how.
public struct OperationRecipe: Sendable, Equatable {
    public var operation: ComponentOperation
    public var component: String
    public var method: OperationMethod
    /// "SIGHUP to the gunicorn master", "supervisorctl signal HUP app", or the reason it is unsupported.
    public var how: String

    public init(operation: ComponentOperation, component: String, method: OperationMethod, how: String) {
        self.operation = operation
        self.component = component
        self.method = method
        self.how = how
    }

    public var isSupported: Bool {
        if case .unsupported = method { return false }
        return true
    }

    /// Whether it runs for a while and its end is awaited (a command, a restart in place),
    /// rather than going out at once (a signal, a FIFO write).
    public var awaitsEnd: Bool {
        switch method {
        case .command, .restartInPlace: return true
        case .signalRoot, .fifo, .unsupported: return false
        }
    }
}

/// The operations of every server kind, declared once: graceful reload, hard restart, one
/// worker more or less. Measured facts behind each choice are in the project's notes
/// (reload-scale.md); the recipes enable what an operation needs (uWSGI's master FIFO and
/// manual cheaper mode).
public enum Operations {
    static let hup: Int32 = 1, usr1: Int32 = 10, ttin: Int32 = 21, ttou: Int32 = 22

    /// How `op` is done to component `name` of `topology` launched with `context`.
    public static func recipe(
        _ op: ComponentOperation, component name: String, topology: Topology,
        context: LaunchContext
    ) -> OperationRecipe {
        func make(_ method: OperationMethod, _ how: String) -> OperationRecipe {
            OperationRecipe(operation: op, component: name, method: method, how: how)
        }
        func no(_ why: String) -> OperationRecipe { make(.unsupported(why), why) }
        guard let c = topology.component(name) else { return no("there is no component '\(name)'") }
        let sup = topology.supervisor(of: name)
        let ctl = sup.map { supervisorctl(context, supervisor: $0.name) }
        /// A signal to the root, through `supervisorctl signal` when supervisord runs the component.
        func signal(_ number: Int32, _ sigName: String, _ whom: String) -> OperationRecipe {
            if let ctl, let sup {
                return make(
                    .command(argv: ctl + ["signal", sigName, name]),
                    "supervisorctl signal \(sigName) \(name) (\(sup.name) passes SIG\(sigName) to the \(whom))")
            }
            return make(.signalRoot(component: name, signal: number), "SIG\(sigName) to the \(whom)")
        }
        let fifo = context.runDir + "/" + uwsgiFifo(name)
        switch op {
        case .reload:
            switch c.kind {
            case .gunicorn:
                return signal(hup, "HUP", "gunicorn master: new workers import the app, old ones finish their requests")
            case .uwsgi:
                return make(
                    .fifo(path: fifo, command: "r"),
                    "'r' to the uWSGI master FIFO: graceful reload of every worker at once (the master re-execs)")
            case .nginx:
                return signal(hup, "HUP", "nginx master: new workers read the config, old ones finish their requests")
            case .apache: return signal(usr1, "USR1", "Apache parent: graceful restart")
            case .lighttpd: return signal(usr1, "USR1", "lighttpd: graceful restart")
            case .modWSGI:
                guard let host = c.inside else { return no("mod_wsgi runs inside an Apache") }
                return make(
                    .signalRoot(component: host, signal: usr1),
                    "SIGUSR1 to Apache's parent (\(host)): a graceful restart replaces the mod_wsgi daemons")
            case .waitress: return no("waitress has no reload: only a restart (which drops the requests in flight)")
            case .werkzeug: return no("the Werkzeug dev server has no reload signal: only a restart")
            case .flup: return no("flup has no reload: only a restart")
            case .supervisord: return no("reload the programs, not supervisord (its reload restarts everything)")
            }
        case .restart:
            if let ctl, let sup {
                return make(
                    .command(argv: ctl + ["restart", name]),
                    "supervisorctl restart \(name): \(sup.name) stops it, then starts it")
            }
            if let host = c.inside {
                // mod_wsgi's daemons and lighttpd's flup backends go and come with their host.
                guard topology.supervisor(of: host) == nil, !topology.container else {
                    return no("\(name) runs inside \(host), which starts it: restart \(host)")
                }
                return make(
                    .restartInPlace(component: host),
                    "stop + start of \(host), which starts \(name): stacktop stops it as a stop does and starts it again; requests in between fail"
                )
            }
            if c.kind == .supervisord {
                return no("restart the programs, not supervisord (it would restart all of them)")
            }
            if topology.container {
                return no(
                    "the stack runs in a container: stacktop restarts in place only processes it spawned on the host")
            }
            return make(
                .restartInPlace(component: name),
                "stop + start: stacktop stops \(name) as a stop does (its stop signal, its session emptied) and starts it again; requests in between fail"
            )
        case .addWorker, .removeWorker:
            let add = op == .addWorker
            switch c.kind {
            case .gunicorn:
                return make(
                    .signalRoot(component: name, signal: add ? ttin : ttou),
                    add
                        ? "SIGTTIN to the gunicorn master: it forks one worker more"
                        : "SIGTTOU to the gunicorn master: it stops its oldest worker")
            case .uwsgi:
                return make(
                    .fifo(path: fifo, command: add ? "+" : "-"),
                    add
                        ? "'+' to the uWSGI master FIFO (manual cheaper mode): one worker more at the next cheaper check (≤1 s)"
                        : "'-' to the uWSGI master FIFO (manual cheaper mode): one idle worker less at the next cheaper check (≤1 s)"
                )
            case .modWSGI: return no("mod_wsgi's daemon count is fixed by WSGIDaemonProcess processes=")
            case .nginx, .apache:
                return no("\(c.kind.rawValue)'s worker count is fixed by its config: change it and reload")
            case .waitress: return no("waitress is one process with a fixed thread pool")
            case .werkzeug: return no("the Werkzeug dev server is one process")
            case .flup: return no("flup's process count is fixed at start")
            case .lighttpd: return no("lighttpd is one process")
            case .supervisord: return no("supervisord has no workers")
            }
        }
    }

    /// Every operation of component `name`, in `ComponentOperation` order.
    public static func recipes(component name: String, topology: Topology, context: LaunchContext) -> [OperationRecipe]
    {
        ComponentOperation.allCases.map { recipe($0, component: name, topology: topology, context: context) }
    }

    /// `supervisorctl -c CONFIG` of supervisord component `supervisor`.
    static func supervisorctl(_ context: LaunchContext, supervisor: String) -> [String] {
        let dir = context.tools.supervisord.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        return [
            dir + "/supervisorctl", "-c", context.runDir + "/" + RunDirLayout.config(supervisor, "supervisord.conf"),
        ]
    }

    /// uWSGI's master FIFO, relative to the run dir.
    static func uwsgiFifo(_ component: String) -> String { RunDirLayout.runFile(component, "fifo") }
}
