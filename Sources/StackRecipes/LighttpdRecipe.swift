import StackModel

/// lighttpd as the front door: one event-driven process forwarding over FastCGI (to flup
/// backends it spawns itself via `bin-path`, or to external FastCGI servers) or over http.
enum LighttpdRecipe: Recipe {
    static let kind = ServerKind.lighttpd

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        let front = try FrontServer(c, input, configFile: "lighttpd.conf")
        let (pool, host, port) = (front.pool, front.host, front.port)
        let (configPath, pidFile, errorLog, accessLog) = (
            front.configPath, front.pidFile, front.errorLog, front.accessLog
        )
        let q = ConfigSyntax.quoted
        let docRoot = RunDirLayout.tmp + "/" + c.name
        var modules = ["mod_access", "mod_accesslog"]
        let routing: [String]
        switch pool.proto {
        case .fastcgi:
            modules.append("mod_fastcgi")
            var hosts: [String] = []
            for (m, addr) in zip(pool.members, pool.addresses) {
                hosts += try fastcgiHost(m, addr, input)
            }
            routing = ["fastcgi.server = ( \"/\" => ("] + hosts + ["))"]
        case .http:
            modules.append("mod_proxy")
            var hosts: [String] = []
            for (m, addr) in zip(pool.members, pool.addresses) {
                switch addr {
                case .tcp(let h, let p): hosts.append("    \(q(m.name)) => ( \"host\" => \(q(h)), \"port\" => \(p) ),")
                case .unix(let path): hosts.append("    \(q(m.name)) => ( \"host\" => \(q(path)) ),")
                case .hosted:
                    throw .unsupported(m.name, "lighttpd spawns only FastCGI backends (flup), not \(m.kind.rawValue)")
                }
            }
            routing =
                [
                    "# Every request is proxied over http to the pool.",
                    "proxy.server = ( \"\" => (",
                ] + hosts + ["))"]
        case .uwsgi, .embedded:
            throw .unsupported(c.name, "lighttpd forwards fastcgi or http, not \(pool.proto.rawValue)")
        }
        let lines =
            [
                "# lighttpd.conf for component \"\(c.name)\", written by stacktop.",
                "# Start it with: \(input.context.tools.lighttpd) -D -f THIS_FILE",
                "server.modules = ( \(modules.map(q).joined(separator: ", ")) )",
                "server.bind = \(q(host))",
                "server.port = \(port)",
                "# Nothing is served from disk; an empty directory in the run dir.",
                "server.document-root = \(q(input.path(docRoot)))",
                "server.upload-dirs = ( \(q(input.path(docRoot))) )",
                "# Everything lighttpd writes stays in the run dir.",
                "server.pid-file = \(q(input.path(pidFile)))",
                "server.errorlog = \(q(input.path(errorLog)))",
                "# The access log in stacktop's format (see AccessLogFormat.lighttpd).",
                "accesslog.filename = \(q(input.path(accessLog)))",
                "accesslog.format = \(q(AccessLogFormat.lighttpd))",
                "",
            ] + routing
        return front.output(
            kind: kind,
            argv: [input.context.tools.lighttpd, "-D", "-f", input.path(configPath)],
            environment: input.baseEnvironment,
            readiness: .tcp(host: host, port: port),
            stopSignal: .term,
            config: lines.joined(separator: "\n") + "\n", directories: [docRoot], input)
    }

    /// One `fastcgi.server` host: a flup spawned by lighttpd, or an external FastCGI socket.
    private static func fastcgiHost(_ m: Component, _ addr: Endpoint, _ input: RecipeInput) throws(RecipeError)
        -> [String]
    {
        let q = ConfigSyntax.quoted
        let common = [
            "        \"check-local\" => \"disable\",",
            "        # The app is mounted at /: the whole path is PATH_INFO.",
            "        \"fix-root-scriptname\" => \"enable\",",
        ]
        switch addr {
        case .tcp(let h, let p):
            return ["    \(q(m.name)) => (", "        \"host\" => \(q(h)),", "        \"port\" => \(p),"] + common + [
                "    ),"
            ]
        case .unix(let path):
            return ["    \(q(m.name)) => (", "        \"socket\" => \(q(path)),"] + common + ["    ),"]
        case .hosted:
            guard m.kind == .flup else {
                throw .unsupported(m.name, "lighttpd spawns only FastCGI backends (flup), not \(m.kind.rawValue)")
            }
            let argv = FlupRecipe.backendArgv(m, input)
            for word in argv {
                try ConfigSyntax.check(
                    word, component: m.name, what: "backend argument", forbidden: [" ", "\t"],
                    because: "lighttpd splits bin-path at whitespace")
                try ConfigSyntax.check(
                    word, component: m.name, what: "backend argument", forbidden: ["\"", "\\"],
                    because: "stacktop does not write quotes or backslashes into lighttpd strings")
            }
            var env = input.pythonEnvironment
            env["LANG"] = "C.UTF-8"
            for (k, v) in env {
                try ConfigSyntax.check(
                    v, component: m.name, what: "environment value \(k)", forbidden: ["\"", "\\"],
                    because: "stacktop does not write quotes or backslashes into lighttpd strings")
            }
            let envLines = env.keys.sorted().map { "            \(q($0)) => \(q(env[$0]!))," }
            let mode =
                (m.processModel ?? .fork) == .threaded
                ? "threaded (a thread per request)"
                : "single (one request at a time; lighttpd does the forking)"
            return [
                "    # lighttpd spawns \(m.workers(or: 2)) flup backends, one process each, \(mode),",
                "    # each on its own socket (\(m.name).sock-0, -1, …) passed as fd 0, and respawns any that dies.",
                "    \(q(m.name)) => (",
                "        \"socket\" => \(q(input.path(RunDirLayout.runFile(m.name, "sock")))),",
                "        \"bin-path\" => \(q(argv.joined(separator: " "))),",
                "        \"bin-environment\" => (",
            ] + envLines + [
                "        ),",
                "        # Only LANG is copied from lighttpd's own environment; the rest is above.",
                "        \"bin-copy-environment\" => ( \"LANG\" ),",
                "        \"max-procs\" => \(m.workers(or: 2)),",
            ] + common + ["    ),"]
        }
    }
}
