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
        let server = script(c)
        let endpoint = try input.endpoint(of: c)
        if case .hosted(let hostName) = endpoint {
            return RecipeOutput(files: [server.scriptFile], process: try hostedSpec(c, in: hostName, input))
        }
        guard let (listen, readiness) = server.listenArguments(endpoint, tcpReadiness: { .tcp(host: $0, port: $1) })
        else {
            preconditionFailure("handled above")
        }
        let argv =
            launcherHead(c, input, mode: mode.rawValue) + ["--workers", "\(c.workers(or: 2))"] + listen
            + ScriptServer.appArguments(input)
        return server.output(
            kind: kind, argv: argv, readiness: readiness,
            // flup's prefork master sleeps in select() with no timeout and notices SIGTERM only
            // when a child reports activity: open one connection to its socket after the signal.
            stopNeedsRequest: mode == .fork,
            roles: RoleRule(root: mode == .fork ? .master : .worker), input)
    }

    /// flup's script, shared with the other script-launched servers.
    static func script(_ c: Component) -> ScriptServer {
        ScriptServer(component: c, scriptPath: PythonScripts.flupPath, scriptText: PythonScripts.flup)
    }

    /// `python flup_serve.py --name NAME --mode MODE`.
    static func launcherHead(_ c: Component, _ input: RecipeInput, mode: String) -> [String] {
        script(c).head(input) + ["--mode", mode]
    }

    /// The backend command lighttpd spawns for `c` (it passes the listening socket as fd 0).
    /// lighttpd runs its own pool of `workers` backends, so each backend is one process:
    /// threaded, or single (one request at a time) for the fork model, lighttpd doing the forking.
    static func backendArgv(_ c: Component, _ input: RecipeInput) -> [String] {
        let mode = (c.processModel ?? .fork) == .threaded ? "threaded" : "single"
        return launcherHead(c, input, mode: mode) + ["--inherit"] + ScriptServer.appArguments(input)
    }

    /// The spec of flup backends spawned by lighttpd `hostName`: stacktop only watches them.
    private static func hostedSpec(_ c: Component, in hostName: String, _ input: RecipeInput) throws(RecipeError)
        -> ProcessSpec
    {
        let host = try input.component(hostName, from: c.name)
        guard host.kind == .lighttpd else {
            throw .unsupported(
                c.name,
                "flup can run inside a lighttpd (which spawns it), not inside \(host.kind.rawValue) '\(host.name)'")
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
