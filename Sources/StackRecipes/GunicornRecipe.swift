import StackModel

/// gunicorn: a master that forks `workers` sync (or gthread) workers, configured by a
/// `gunicorn.conf.py` that holds every setting, the app included.
enum GunicornRecipe: Recipe {
    static let kind = ServerKind.gunicorn

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        guard c.proto == .http else {
            throw .unsupported(
                c.name, "gunicorn speaks only http to the server in front of it, not \(c.proto.rawValue)")
        }
        let endpoint = try input.endpoint(of: c)
        let bind: String
        let readiness: Readiness
        switch endpoint {
        case .tcp(let host, let port):
            bind = RecipeInput.hostPort(host, port)
            readiness = .http(host: host, port: port, path: input.probePath)
        case .unix(let path):
            bind = "unix:" + path
            readiness = .unixSocket(path: path)
        case .hosted(let host):
            throw .unsupported(c.name, "gunicorn cannot run inside '\(host)'; it runs its own master")
        }
        let workers = c.workers(or: 2)
        let threads = c.threads(or: 1)
        let configPath = RunDirLayout.config(c.name, "gunicorn.conf.py")
        let pidFile = RunDirLayout.runFile(c.name, "pid")
        let accessLog = RunDirLayout.log(c.name, "access.log")
        let py = ConfigSyntax.python
        let title = processTitle(of: c, input)
        let config = """
            # gunicorn.conf.py for component "\(c.name)", written by stacktop.
            # Start it with: gunicorn --config THIS_FILE  (every setting is here, the app too)

            wsgi_app = \(py(input.app.module))
            # With setproctitle installed, ps shows `gunicorn: master [NAME]` and
            # `gunicorn: worker [NAME]`.
            proc_name = \(py(title))
            # gunicorn puts chdir first on sys.path, so the app's module is found there.
            chdir = \(py(input.app.directory))

            bind = [\(py(bind))]
            # umask 0: a unix socket is created world-connectable, so a front server whose
            # workers run as another user (nginx: nobody) can connect.
            umask = 0

            workers = \(workers)
            threads = \(threads)
            # gunicorn's default, written out: a worker silent this long is killed and replaced.
            timeout = \(RequestTimeouts.gunicornSeconds)

            # Keep every file gunicorn writes inside stacktop's run dir.
            pidfile = \(py(input.path(pidFile)))
            # gunicorn 27 opens a control socket under ~/.gunicorn by default.
            control_socket = \(py(input.path(RunDirLayout.runFile(c.name, "ctl"))))
            worker_tmp_dir = \(py(input.path(RunDirLayout.tmp)))

            # The error log goes to stderr, which stacktop (or supervisord) captures.
            errorlog = '-'
            loglevel = 'info'
            # The access log in stacktop's format (see AccessLogFormat.gunicorn).
            accesslog = \(py(input.path(accessLog)))
            access_log_format = \(py(AccessLogFormat.gunicorn))

            """
        let process = ProcessSpec(
            component: c.name, kind: kind,
            argv: [input.venv + "/bin/gunicorn", "--config", input.path(configPath)],
            environment: input.pythonEnvironment,
            workingDirectory: input.app.directory,
            outputLog: RunDirLayout.log(c.name, "out"),
            logFiles: [accessLog],
            accessLog: accessLog,
            readiness: readiness,
            stopSignal: .term,
            roles: RoleRule(root: .master),
            // The config path names it until setproctitle renames it, then its title does.
            claimMarkers: [input.path(configPath), "[\(title)]"],
            pidFile: pidFile)
        return RecipeOutput(
            files: [RenderedFile(path: configPath, contents: config, mode: RunDirLayout.fileMode, component: c.name)],
            process: process)
    }

    /// The name in gunicorn's process titles: the app (`app:app`, gunicorn's own default), or
    /// `COMPONENT app:app` when the stack has several gunicorn components, so that each one's
    /// processes can be told apart by their titles.
    static func processTitle(of c: Component, _ input: RecipeInput) -> String {
        let gunicorns = input.topology.components.filter { $0.kind == .gunicorn }.count
        return gunicorns > 1 ? "\(c.name) \(input.app.module)" : input.app.module
    }
}
