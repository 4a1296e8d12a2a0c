import StackModel

/// supervisord: starts the components it supervises (one `[program:x]` each, in start
/// order) and restarts any that exits, configured by one `supervisord.conf`.
enum SupervisordRecipe {
    static let kind = ServerKind.supervisord

    /// Renders `c`, which supervises `programs` (the specs of its components, in start order).
    static func render(_ c: Component, _ input: RecipeInput, programs: [ProcessSpec]) throws(RecipeError)
        -> RecipeOutput
    {
        guard !programs.isEmpty else {
            throw .inconsistent(c.name, "supervisord needs at least one component in `supervises`")
        }
        let configPath = RunDirLayout.config(c.name, "supervisord.conf")
        let socket = input.path(RunDirLayout.runFile(c.name, "sock"))
        let pidFile = RunDirLayout.runFile(c.name, "pid")
        let log = RunDirLayout.log(c.name, "log")
        var lines = [
            "; supervisord.conf for component \"\(c.name)\", written by stacktop.",
            "; Start it with: \(input.context.tools.supervisord) -n -c THIS_FILE",
            "; Control it with: supervisorctl -c THIS_FILE status",
            "",
            "[unix_http_server]",
            "; supervisorctl talks to supervisord over this socket; only its owner may connect.",
            "file=\(socket)",
            "chmod=0700",
            "",
            "[supervisord]",
            "; In the foreground, so stacktop watches supervisord itself.",
            "nodaemon=true",
        ]
        if input.context.runningAsRoot {
            lines += ["; Running as root on purpose (silences supervisord's warning about it).", "user=root"]
        }
        lines += [
            "logfile=\(input.path(log))",
            "logfile_maxbytes=0",
            "pidfile=\(input.path(pidFile))",
            "childlogdir=\(input.path(RunDirLayout.logs))",
            "directory=\(input.context.runDir)",
            "",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
            "",
            "[supervisorctl]",
            "serverurl=unix://\(socket)",
        ]
        for (index, p) in programs.enumerated() {
            lines += [""] + (try programLines(p, priority: 100 + 10 * index, input))
        }
        let process = ProcessSpec(
            component: c.name, kind: kind,
            argv: [input.context.tools.supervisord, "-n", "-c", input.path(configPath)],
            environment: input.baseEnvironment,
            workingDirectory: input.context.runDir,
            outputLog: RunDirLayout.log(c.name, "out"),
            logFiles: [log],
            readiness: .unixSocket(path: socket),
            stopSignal: .term,
            roles: RoleRule(root: .supervisor),
            claimMarkers: [input.path(configPath)],
            pidFile: pidFile,
            status: .supervisor(socket: socket, config: input.path(configPath)),
            stopTimeout: programs.map(\.stopTimeout).reduce(5, +))
        return RecipeOutput(
            files: [
                RenderedFile(
                    path: configPath, contents: lines.joined(separator: "\n") + "\n",
                    mode: RunDirLayout.fileMode, component: c.name)
            ],
            process: process)
    }

    /// One `[program:x]` section: the component's argv quoted for shlex, its environment,
    /// and supervisord's restart and stop policy.
    private static func programLines(_ p: ProcessSpec, priority: Int, _ input: RecipeInput) throws(RecipeError)
        -> [String]
    {
        for word in p.argv {
            try ConfigSyntax.check(word, component: p.component, what: "command argument")
        }
        var env: [String] = []
        for key in p.environment.keys.sorted() {
            env.append(
                key + "=" + (try ConfigSyntax.supervisorEnvValue(p.environment[key]!, component: p.component, key: key))
            )
        }
        let directory = try ConfigSyntax.supervisorPath(
            p.workingDirectory, component: p.component, what: "working directory")
        return [
            "[program:\(p.component)]",
            "command=" + p.argv.map(ConfigSyntax.supervisorWord).joined(separator: " "),
            "directory=" + directory,
            "environment=" + env.joined(separator: ","),
            "priority=\(priority)",
            "autostart=true",
            "autorestart=true",
            "; RUNNING once it has stayed up 1 s; FATAL after 3 failed starts.",
            "startsecs=1",
            "startretries=3",
            "stopsignal=\(p.stopSignal.shortName)",
            "stopwaitsecs=\(p.stopTimeout)",
            "; Signals go to the program's whole process group (its workers too).",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            "stdout_logfile=\(input.path(p.outputLog))",
            "stdout_logfile_maxbytes=0",
        ]
    }
}
