import StackModel

/// flup: FastCGI for a WSGI app through stacktop's generic `flup_serve.py`, either standalone
/// (fork: a master preforking `workers` children; threaded: one process) or spawned by
/// lighttpd as `workers` backends (`inside` a lighttpd).
enum FlupRecipe: Recipe {
    static let kind = ServerKind.flup

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        guard c.proto == .fastcgi else {
            throw .unsupported(c.name, "flup speaks FastCGI to the server in front of it, not \(c.proto.rawValue)")
        }
        let mode = c.processModel ?? .fork
        let script = RenderedFile(path: PythonScripts.flupPath, contents: PythonScripts.flup,
                                  mode: RunDirLayout.fileMode, component: c.name)
        let endpoint = try input.endpoint(of: c)
        if case .hosted(let hostName) = endpoint {
            return RecipeOutput(files: [script], process: try hostedSpec(c, in: hostName, input))
        }
        var argv = launcherHead(c, input, mode: mode.rawValue) + ["--workers", "\(c.workers(or: 2))"]
        let readiness: Readiness
        switch endpoint {
        case .tcp(let host, let port):
            argv += ["--listen", RecipeInput.hostPort(host, port)]
            readiness = .tcp(host: host, port: port)
        case .unix(let path):
            argv += ["--socket", path]
            readiness = .unixSocket(path: path)
        case .hosted:
            preconditionFailure("handled above")
        }
        argv += ["--", input.app.directory, input.app.module]
        let process = ProcessSpec(
            component: c.name, kind: kind, argv: argv, environment: input.pythonEnvironment,
            workingDirectory: input.app.directory,
            outputLog: RunDirLayout.log(c.name, "out"),
            readiness: readiness,
            stopSignal: .term,
            // flup's prefork master sleeps in select() with no timeout and notices SIGTERM only
            // when a child reports activity: open one connection to its socket after the signal.
            stopNeedsRequest: mode == .fork,
            roles: RoleRule(root: mode == .fork ? .master : .worker),
            claimMarkers: ["--name \(c.name)"],
            stopTimeout: 5)
        return RecipeOutput(files: [script], process: process)
    }

    /// `python flup_serve.py --name NAME --mode MODE`.
    static func launcherHead(_ c: Component, _ input: RecipeInput, mode: String) -> [String] {
        [input.python, input.path(PythonScripts.flupPath), "--name", c.name, "--mode", mode]
    }

    /// The backend command lighttpd spawns for `c` (it passes the listening socket as fd 0).
    /// lighttpd runs its own pool of `workers` backends, so each backend is one process:
    /// threaded, or single (one request at a time) for the fork model, lighttpd doing the forking.
    static func backendArgv(_ c: Component, _ input: RecipeInput) -> [String] {
        let mode = (c.processModel ?? .fork) == .threaded ? "threaded" : "single"
        return launcherHead(c, input, mode: mode) + ["--inherit", "--", input.app.directory, input.app.module]
    }

    /// The spec of flup backends spawned by lighttpd `hostName`: stacktop only watches them.
    private static func hostedSpec(_ c: Component, in hostName: String, _ input: RecipeInput) throws(RecipeError) -> ProcessSpec {
        let host = try input.component(hostName, from: c.name)
        guard host.kind == .lighttpd else {
            throw .unsupported(c.name, "flup can run inside a lighttpd (which spawns it), not inside \(host.kind.rawValue) '\(host.name)'")
        }
        let env = input.baseEnvironment.merging(input.pythonEnvironment) { $1 }
            .merging(["PHP_FCGI_CHILDREN": "1"]) { $1 }
        return ProcessSpec(
            component: c.name, kind: kind, argv: backendArgv(c, input), environment: env,
            workingDirectory: input.app.directory,
            // The backends inherit lighttpd's stdout and stderr.
            outputLog: RunDirLayout.log(host.name, "out"),
            readiness: .http(host: try input.bindHost(of: host), port: try input.port(of: host), path: input.probePath),
            stopSignal: .term,
            launchedBy: host.name,
            roles: RoleRule(root: .worker),
            claimMarkers: ["--name \(c.name)"])
    }
}
