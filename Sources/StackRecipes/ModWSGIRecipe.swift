import StackModel

/// mod_wsgi in daemon mode inside an Apache: `workers` daemon processes of `threads` threads,
/// forked by Apache's parent. The Apache recipe writes its directives; this one describes how
/// to find and watch the daemons.
enum ModWSGIRecipe: Recipe {
    static let kind = ServerKind.modWSGI

    /// The daemon process group's name as `display-name=%{GROUP}` shows it in ps.
    static func displayName(_ c: Component) -> String { "(wsgi:\(c.name))" }

    /// Python settings the daemons get through Apache's environment: unbuffered output, and no
    /// bytecode written into the app dir.
    static let pythonVariables = ["PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"]

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        guard let hostName = c.inside else {
            throw .unsupported(c.name, "mod_wsgi runs only inside an Apache: set `inside:` to the apache component")
        }
        let host = try input.component(hostName, from: c.name)
        guard host.kind == .apache else {
            throw .unsupported(
                c.name, "mod_wsgi runs only inside an Apache, not inside \(host.kind.rawValue) '\(host.name)'")
        }
        guard host.upstream.contains(c.name) else {
            throw .inconsistent(
                c.name, "runs inside '\(host.name)' but is not in its upstream, so no request would reach it")
        }
        let env = input.baseEnvironment.merging(pythonVariables) { $1 }
        let process = ProcessSpec(
            component: c.name, kind: kind,
            // Nothing to exec: Apache's parent forks the daemons.
            argv: [],
            environment: env,
            workingDirectory: input.app.directory,
            // The daemons' stdout/stderr end up in Apache's error log.
            outputLog: RunDirLayout.log(host.name, "error.log"),
            readiness: .http(host: try input.bindHost(of: host), port: try input.port(of: host), path: input.probePath),
            stopSignal: .term,
            launchedBy: host.name,
            roles: RoleRule(root: .worker),
            claimMarkers: [displayName(c)])
        return RecipeOutput(
            files: [
                RenderedFile(
                    path: PythonScripts.shimPath, contents: PythonScripts.shim(input.app),
                    mode: RunDirLayout.fileMode, component: c.name)
            ],
            process: process)
    }
}
