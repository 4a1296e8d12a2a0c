import StackModel

/// The Werkzeug development server (what `flask run` starts): one threaded process, started
/// through stacktop's generic `werkzeug_serve.py` so any WSGI app works, not only Flask.
enum WerkzeugRecipe: Recipe {
    static let kind = ServerKind.werkzeug

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        guard c.proto == .http else {
            throw .unsupported(c.name, "the Werkzeug dev server speaks only http, not \(c.proto.rawValue)")
        }
        let server = ScriptServer(
            component: c, scriptPath: PythonScripts.werkzeugPath, scriptText: PythonScripts.werkzeug)
        let endpoint = try input.endpoint(of: c)
        if case .hosted(let host) = endpoint {
            throw .unsupported(c.name, "the Werkzeug dev server cannot run inside '\(host)'")
        }
        guard
            let (listen, readiness) = server.listenArguments(
                endpoint,
                tcpReadiness: {
                    .http(host: $0, port: $1, path: input.probePath)
                })
        else { preconditionFailure("handled above") }
        let argv = server.head(input) + listen + ScriptServer.appArguments(input)
        return server.output(kind: kind, argv: argv, readiness: readiness, roles: RoleRule(root: .worker), input)
    }
}
