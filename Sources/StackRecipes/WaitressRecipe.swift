import StackModel

/// waitress: one process serving HTTP with a pool of threads; no master, nothing respawns it.
enum WaitressRecipe: Recipe {
    static let kind = ServerKind.waitress

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        guard c.proto == .http else {
            throw .unsupported(
                c.name, "waitress speaks only http to the server in front of it, not \(c.proto.rawValue)")
        }
        var argv = [input.venv + "/bin/waitress-serve"]
        let readiness: Readiness
        let marker: String
        switch try input.endpoint(of: c) {
        case .tcp(let host, let port):
            marker = "--listen=" + RecipeInput.hostPort(host, port)
            argv.append(marker)
            readiness = .http(host: host, port: port, path: input.probePath)
        case .unix(let path):
            // 666: a front server whose workers run as another user (nginx: nobody) can connect.
            marker = "--unix-socket=" + path
            argv += [marker, "--unix-socket-perms=666"]
            readiness = .unixSocket(path: path)
        case .hosted(let host):
            throw .unsupported(c.name, "waitress cannot run inside '\(host)'")
        }
        // `--` ends waitress-serve's (getopt) options: the module is always the positional.
        argv += ["--threads=\(c.threads(or: 4))", "--", input.app.module]
        var env = input.pythonEnvironment
        // waitress-serve appends the working directory to sys.path; PYTHONPATH puts the app
        // directory first, as gunicorn's chdir does.
        env["PYTHONPATH"] = input.app.directory
        let process = ProcessSpec(
            component: c.name, kind: kind, argv: argv, environment: env,
            workingDirectory: input.app.directory,
            outputLog: RunDirLayout.log(c.name, "out"),
            readiness: readiness,
            stopSignal: .term,
            roles: RoleRule(root: .worker),
            claimMarkers: [marker])
        return RecipeOutput(process: process)
    }
}
