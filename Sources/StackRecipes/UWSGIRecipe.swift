import StackModel

/// uWSGI (Debian's modular `uwsgi-core`): a master with `workers` processes, plus an HTTP
/// router process when it is the front door, configured by a `uwsgi.ini`.
enum UWSGIRecipe: Recipe {
    static let kind = ServerKind.uwsgi

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        try ConfigSyntax.check(
            input.venv, component: c.name, what: "venv path",
            forbidden: ["%", "$(", "@(", "{{"],
            because: "uWSGI expands placeholders like %(x), $(ENV) and @(file) in its config")
        if input.venv.first?.isWhitespace == true || input.venv.last?.isWhitespace == true {
            throw .unsafe(
                c.name,
                "venv path \(ConfigSyntax.debug(input.venv)) starts or ends with whitespace, which uwsgi.ini drops")
        }
        let isFront = c.name == input.front.name
        let sock = input.path(RunDirLayout.runFile(c.name, "sock"))
        var listen: [String] = []
        var plugins = "python3,logfile"
        let readiness: Readiness
        switch try input.endpoint(of: c) {
        case .tcp(let host, let port) where isFront:
            plugins = "python3,logfile,http"
            listen += [
                "; The HTTP router (a separate process) answers clients and passes requests",
                "; to the workers over the uwsgi socket below.",
                "http = " + RecipeInput.hostPort(host, port),
                "; An explicit socket: without it the router talks to the workers over a random TCP port.",
                "socket = " + sock,
            ]
            readiness = .http(host: host, port: port, path: input.probePath)
        case .tcp(let host, let port):
            let addr = RecipeInput.hostPort(host, port)
            listen.append(try hopLine(c) + " = " + addr)
            readiness =
                c.proto == .http ? .http(host: host, port: port, path: input.probePath) : .tcp(host: host, port: port)
        case .unix(let path):
            listen += [
                try hopLine(c) + " = " + path,
                "; World-connectable, so a front server whose workers run as another user",
                "; (nginx: nobody) can connect.",
                "chmod-socket = 666",
            ]
            readiness = .unixSocket(path: path)
        case .hosted(let host):
            throw .unsupported(c.name, "uWSGI cannot run inside '\(host)'; it runs its own master")
        }
        let threads = c.threads(or: 1)
        let configPath = RunDirLayout.config(c.name, "uwsgi.ini")
        let pidFile = RunDirLayout.runFile(c.name, "pid")
        let stats = input.path(RunDirLayout.runFile(c.name, "stats"))
        let log = RunDirLayout.log(c.name, "log")
        let accessLog = RunDirLayout.log(c.name, "access.log")
        let tag = "[\(c.name)]"
        let lines: [String] =
            [
                "; uwsgi.ini for component \"\(c.name)\", written by stacktop.",
                "; Start it with: \(input.context.tools.uwsgi) --ini THIS_FILE",
                "[uwsgi]",
                "; Debian's modular uWSGI: python3 runs the app, logfile writes the request log\(isFront ? ", http is the HTTP router" : "").",
                "plugins = \(plugins)",
                "; Debian's embedded Python 3 uses this venv's site-packages (it must be a venv of /usr/bin/python3).",
                "virtualenv = \(input.venv)",
                "; scripts/wsgi.py imports \(input.app.module) from the app dir and exposes it as `application`.",
                "wsgi-file = \(input.path(PythonScripts.shimPath))",
                "need-app = true",
                "master = true",
            ] + scaling(workers: c.workers(or: 2)) + (threads > 1 ? ["threads = \(threads)"] : []) + [
                "enable-threads = true"
            ] + listen + [
                "; Processes are named \"\(tag) uWSGI master\", \"\(tag) uWSGI worker N\", \"\(tag) uWSGI http 1\".",
                "auto-procname = true",
                "procname-prefix-spaced = \(tag)",
                "; SIGTERM shuts down (without this, SIGTERM means a brutal reload).",
                "die-on-term = true",
                "; Workers exit at once when the master dies (no orphans spinning on a closed pipe).",
                "no-orphans = true",
                "vacuum = true",
                "pidfile = \(input.path(pidFile))",
                "; The stats server: connect to this socket to read one JSON document of workers and counters.",
                "stats = \(stats)",
                "; uWSGI's own log goes to a file, never to a pipe that supervisord may close.",
                "logto = \(input.path(log))",
                "; The master FIFO: `echo r > FIFO` reloads gracefully, `+`/`-` add or remove a worker.",
                "master-fifo = \(input.path(Operations.uwsgiFifo(c.name)))",
                "; The request log in stacktop's format (see AccessLogFormat.uwsgi).",
                "req-logger = file:\(input.path(accessLog))",
                "log-format = \(AccessLogFormat.uwsgi)",
                "",
            ]
        let process = ProcessSpec(
            component: c.name, kind: kind,
            argv: [input.context.tools.uwsgi, "--ini", input.path(configPath)],
            environment: input.pythonEnvironment,
            workingDirectory: input.app.directory,
            outputLog: RunDirLayout.log(c.name, "out"),
            logFiles: [log, accessLog],
            accessLog: accessLog,
            readiness: readiness,
            stopSignal: .term,
            roles: RoleRule(root: .master, helperMarkers: ["uWSGI http"], workerMarkers: ["uWSGI worker"]),
            claimMarkers: ["\(tag) uWSGI", input.path(configPath)],
            pidFile: pidFile,
            status: .uwsgiStats(socket: stats))
        return RecipeOutput(
            files: [
                RenderedFile(
                    path: configPath, contents: lines.joined(separator: "\n"), mode: RunDirLayout.fileMode,
                    component: c.name),
                RenderedFile(
                    path: PythonScripts.shimPath, contents: PythonScripts.shim(input.app), mode: RunDirLayout.fileMode,
                    component: c.name),
            ],
            process: process)
    }

    /// Workers that can be added and removed at run time: the manual cheaper algorithm starts
    /// `workers` and moves only on the master FIFO's `+` and `-`, up to `processes`.
    static func scaling(workers: Int) -> [String] {
        [
            "; \(workers) workers at start; the master FIFO's + and - move the count between 1 and \(workers + extraWorkers).",
            "processes = \(workers + extraWorkers)",
            "cheaper-algo = manual",
            "cheaper = 1",
            "cheaper-initial = \(workers)",
        ]
    }

    /// How many workers the FIFO's `+` may add beyond the topology's count.
    static let extraWorkers = 2

    /// The option that carries the hop protocol behind a front server.
    private static func hopLine(_ c: Component) throws(RecipeError) -> String {
        switch c.proto {
        case .uwsgi: return "socket"
        case .http: return "http-socket"
        case .fastcgi, .embedded:
            throw .unsupported(c.name, "stacktop runs uWSGI with the uwsgi or http protocol, not \(c.proto.rawValue)")
        }
    }
}
