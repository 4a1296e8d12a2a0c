import StackModel

/// What the recipes of the Python servers stacktop starts through its own script (flup's
/// `flup_serve.py`, Werkzeug's `werkzeug_serve.py`) do alike: `python SCRIPT --name NAME`, the
/// listening address as `--listen HOST:PORT` or `--socket PATH`, `--` and the app's dir and
/// module, the script file itself, and a process spec in the app dir whose claim marker is
/// `--name NAME`. Each recipe adds its own facts (options, readiness over TCP, roles).
struct ScriptServer {
    let component: Component
    /// The script, relative to the run dir, and its text.
    let scriptPath: String
    let scriptText: String

    /// `python SCRIPT --name NAME`.
    func head(_ input: RecipeInput) -> [String] {
        [input.python, input.path(scriptPath), "--name", component.name]
    }

    /// `--listen HOST:PORT` (ready when `tcpReadiness` is) or `--socket PATH` (ready when the
    /// socket accepts); `hosted` is an error the recipe words.
    func listenArguments(_ endpoint: Endpoint, tcpReadiness: (String, Int) -> Readiness) -> ([String], Readiness)? {
        switch endpoint {
        case .tcp(let host, let port):
            return (["--listen", RecipeInput.hostPort(host, port)], tcpReadiness(host, port))
        case .unix(let path): return (["--socket", path], .unixSocket(path: path))
        case .hosted: return nil
        }
    }

    /// `--` ends the options: the app dir and module are always read as positionals.
    static func appArguments(_ input: RecipeInput) -> [String] {
        ["--", input.app.directory, input.app.module]
    }

    /// The script file the process runs.
    var scriptFile: RenderedFile {
        RenderedFile(path: scriptPath, contents: scriptText, mode: RunDirLayout.fileMode, component: component.name)
    }

    /// The recipe's output: the script and the process spec these servers share (Python's
    /// environment, the app dir, SIGTERM, 5 s to stop, claimed by `--name NAME`).
    func output(
        kind: ServerKind, argv: [String], readiness: Readiness, stopNeedsRequest: Bool = false,
        roles: RoleRule, _ input: RecipeInput
    ) -> RecipeOutput {
        let c = component
        let process = ProcessSpec(
            component: c.name, kind: kind, argv: argv, environment: input.pythonEnvironment,
            workingDirectory: input.app.directory,
            outputLog: RunDirLayout.log(c.name, "out"),
            readiness: readiness,
            stopSignal: .term,
            stopNeedsRequest: stopNeedsRequest,
            roles: roles,
            claimMarkers: ["--name \(c.name)"],
            stopTimeout: 5)
        return RecipeOutput(files: [scriptFile], process: process)
    }
}
