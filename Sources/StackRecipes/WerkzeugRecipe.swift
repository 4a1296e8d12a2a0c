import StackModel

/// The Werkzeug development server (what `flask run` starts): one threaded process, started
/// through stacktop's generic `werkzeug_serve.py` so any WSGI app works, not only Flask.
enum WerkzeugRecipe: Recipe {
    static let kind = ServerKind.werkzeug

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        guard c.proto == .http else {
            throw .unsupported(c.name, "the Werkzeug dev server speaks only http, not \(c.proto.rawValue)")
        }
        var argv = [input.python, input.path(PythonScripts.werkzeugPath), "--name", c.name]
        let readiness: Readiness
        switch try input.endpoint(of: c) {
        case .tcp(let host, let port):
            argv += ["--listen", RecipeInput.hostPort(host, port)]
            readiness = .http(host: host, port: port, path: input.probePath)
        case .unix(let path):
            argv += ["--socket", path]
            readiness = .unixSocket(path: path)
        case .hosted(let host):
            throw .unsupported(c.name, "the Werkzeug dev server cannot run inside '\(host)'")
        }
        // `--` ends the options: the app dir and module are always read as positionals.
        argv += ["--", input.app.directory, input.app.module]
        let process = ProcessSpec(
            component: c.name, kind: kind, argv: argv, environment: input.pythonEnvironment,
            workingDirectory: input.app.directory,
            outputLog: RunDirLayout.log(c.name, "out"),
            readiness: readiness,
            stopSignal: .term,
            roles: RoleRule(root: .worker),
            claimMarkers: ["--name \(c.name)"],
            stopTimeout: 5)
        return RecipeOutput(
            files: [RenderedFile(path: PythonScripts.werkzeugPath, contents: PythonScripts.werkzeug,
                                 mode: RunDirLayout.fileMode, component: c.name)],
            process: process)
    }
}
