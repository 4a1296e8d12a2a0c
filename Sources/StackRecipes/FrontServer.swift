import StackModel

/// What every front server's recipe does alike (nginx, Apache, lighttpd): the pool behind it,
/// the TCP address it listens on, its config, pid, error and access log paths in the run dir,
/// and the process spec and output every front server has. A front server's recipe is then its
/// own facts only: its config text, argv, readiness check, stop signal and roles.
struct FrontServer {
    let component: Component
    /// The app servers behind it and the protocol it forwards with.
    let pool: FrontPool
    /// Where clients reach it (front servers listen on TCP).
    let host: String
    let port: Int
    /// Run-dir paths (relative): its one config file, pid file, error and access logs.
    let configPath: String
    let pidFile: String
    let errorLog: String
    let accessLog: String

    /// The shared part of front server `c`, whose one config file is `configFile` (`nginx.conf`).
    init(_ c: Component, _ input: RecipeInput, configFile: String) throws(RecipeError) {
        component = c
        pool = try FrontPool(c, input)
        guard case .tcp(let host, let port) = try input.endpoint(of: c) else {
            throw .inconsistent(c.name, "a front server listens on TCP")
        }
        self.host = host
        self.port = port
        configPath = RunDirLayout.config(c.name, configFile)
        pidFile = RunDirLayout.runFile(c.name, "pid")
        errorLog = RunDirLayout.log(c.name, "error.log")
        accessLog = RunDirLayout.log(c.name, "access.log")
    }

    /// The recipe's output: the config file with `config` as its text, and the process spec
    /// every front server shares (run dir as working dir, output and both logs in the run dir,
    /// the access log followed, its config path as the claim marker, its pid file) with the
    /// server's own `argv`, `environment`, `readiness`, `stopSignal`, `roles` and `status`.
    func output(
        kind: ServerKind, argv: [String], environment: [String: String], readiness: Readiness,
        stopSignal: Signal, roles: RoleRule = RoleRule(root: .front), status: StatusEndpoint? = nil,
        config: String, directories: [String] = [], _ input: RecipeInput
    ) -> RecipeOutput {
        let c = component
        let process = ProcessSpec(
            component: c.name, kind: kind, argv: argv,
            environment: environment,
            workingDirectory: input.context.runDir,
            outputLog: RunDirLayout.log(c.name, "out"),
            logFiles: [errorLog, accessLog],
            accessLog: accessLog,
            readiness: readiness,
            stopSignal: stopSignal,
            roles: roles,
            claimMarkers: [input.path(configPath)],
            pidFile: pidFile,
            status: status)
        return RecipeOutput(
            files: [RenderedFile(path: configPath, contents: config, mode: RunDirLayout.fileMode, component: c.name)],
            directories: directories,
            process: process)
    }
}
