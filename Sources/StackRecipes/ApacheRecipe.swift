import StackModel

/// Apache httpd (event MPM) as the front door: it hosts a mod_wsgi daemon group running the
/// app, or proxies HTTP to app servers. Configured by one self-contained `httpd.conf`.
enum ApacheRecipe: Recipe {
    static let kind = ServerKind.apache

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        let front = try FrontServer(c, input, configFile: "httpd.conf")
        let (pool, host, port) = (front.pool, front.host, front.port)
        let (configPath, pidFile, errorLog, accessLog) = (
            front.configPath, front.pidFile, front.errorLog, front.accessLog
        )
        let q = ConfigSyntax.quoted
        let mods = input.context.tools.apacheModules
        let workers = c.workers(or: 1)
        let threads = c.threads(or: 25)
        var modules = ["mpm_event", "authz_core"]
        var env = input.baseEnvironment
        let routing: [String]
        switch pool.proto {
        case .embedded:
            // The mod_wsgi daemons are forks of Apache's parent and inherit its environment.
            env.merge(ModWSGIRecipe.pythonVariables) { $1 }
            modules.append("wsgi")
            routing = try wsgiLines(pool, input)
        case .http:
            modules +=
                ["proxy", "proxy_http", "headers"]
                + (pool.members.count > 1 ? ["proxy_balancer", "slotmem_shm", "lbmethod_byrequests"] : [])
            routing = proxyLines(c, pool)
        case .uwsgi, .fastcgi:
            throw .unsupported(
                c.name,
                "stacktop's Apache forwards to mod_wsgi (embedded) or http app servers, not \(pool.proto.rawValue)")
        }
        var lines = [
            "# httpd.conf for component \"\(c.name)\", written by stacktop.",
            "# Start it with: \(input.context.tools.apache) -f THIS_FILE -DFOREGROUND",
            "# It is self-contained: no APACHE_* variables, nothing from /etc/apache2.",
            "ServerRoot \(q(input.context.runDir))",
            "ServerName \(host.contains(":") ? "[\(host)]" : host)",
            "Listen \(RecipeInput.hostPort(host, port))",
            "",
            "# Everything Apache writes stays in the run dir (Debian's defaults are /run and /var/log).",
            "PidFile \(q(input.path(pidFile)))",
            "DefaultRuntimeDir \(q(input.path(RunDirLayout.run)))",
            "ErrorLog \(q(input.path(errorLog)))",
            "LogLevel notice",
            "# The access log in stacktop's format (see AccessLogFormat.apache): %D is the time",
            "# taken in microseconds, %P the child that served the connection.",
            "LogFormat \(q(AccessLogFormat.apache)) stacktop",
            "CustomLog \(q(input.path(accessLog))) stacktop",
            "",
        ]
        lines += modules.map { "LoadModule \($0)_module \(q(mods + "/mod_\($0).so"))" }
        lines.append("")
        if input.context.runningAsRoot {
            lines += [
                "# Apache will not serve requests as root: its children and the mod_wsgi daemons",
                "# run as this user, which must be able to read the app dir and the venv.",
                "User \(input.context.serverUser)",
                "Group \(input.context.serverGroup)",
                "",
            ]
        }
        lines += [
            "# The event MPM: \(workers) child process\(workers == 1 ? "" : "es") of \(threads) threads each.",
            "StartServers \(workers)",
            "ServerLimit \(workers)",
            "ThreadsPerChild \(threads)",
            "ThreadLimit \(threads)",
            "MaxRequestWorkers \(workers * threads)",
            "MinSpareThreads \(threads)",
            "MaxSpareThreads \((workers + 1) * threads)",
            "",
            "<Directory />",
            "    AllowOverride None",
            "    Require all denied",
            "</Directory>",
            "",
        ]
        lines += routing
        return front.output(
            kind: kind,
            argv: [input.context.tools.apache, "-f", input.path(configPath), "-DFOREGROUND"],
            environment: env,
            readiness: .tcp(host: host, port: port),
            // TERM is `apachectl stop`: quick and predictable. WINCH (graceful-stop) would wait
            // for in-flight requests, up to a minute of /slow, and the runtime kills what is left.
            stopSignal: .term,
            config: lines.joined(separator: "\n") + "\n", input)
    }

    /// mod_wsgi daemon mode: one daemon group serving `/` through the WSGI shim.
    private static func wsgiLines(_ pool: FrontPool, _ input: RecipeInput) throws(RecipeError) -> [String] {
        guard pool.members.count == 1, let app = pool.members.first else {
            throw .unsupported(
                pool.front.name, "Apache serves one mod_wsgi daemon group at /; found \(pool.members.count)")
        }
        for (what, value) in [("venv path", input.venv), ("app dir", input.app.directory)] {
            try ConfigSyntax.check(
                value, component: app.name, what: what, forbidden: ["\"", "\\", "${"],
                because: "Apache's config syntax cannot carry it safely")
        }
        let w = ConfigSyntax.apacheWord
        let scripts = input.path(RunDirLayout.scripts)
        return [
            "# mod_wsgi daemon mode: Apache's parent forks \(app.workers(or: 2)) daemon processes named",
            "# \(ModWSGIRecipe.displayName(app)) that run the app with the venv's packages; the MPM children only",
            "# pass requests to them over unix sockets in the run dir.",
            "WSGISocketPrefix \(ConfigSyntax.quoted(input.path(RunDirLayout.run + "/wsgi")))",
            "WSGIRestrictEmbedded On",
            "WSGIDaemonProcess \(app.name) processes=\(app.workers(or: 2)) threads=\(app.threads(or: 4)) "
                + "display-name=%{GROUP} \(w("python-home=" + input.venv)) \(w("python-path=" + input.app.directory)) "
                + "\(w("home=" + input.app.directory)) lang=C.UTF-8 locale=C.UTF-8",
            "WSGIProcessGroup \(app.name)",
            "WSGIApplicationGroup %{GLOBAL}",
            "# scripts/wsgi.py imports \(input.app.module) from the app dir and exposes it as `application`.",
            "WSGIScriptAlias / \(ConfigSyntax.quoted(input.path(PythonScripts.shimPath)))",
            "<Directory \(ConfigSyntax.quoted(scripts))>",
            "    Require all granted",
            "</Directory>",
        ]
    }

    /// mod_proxy: `/` to one app server, or to a balancer over the pool.
    private static func proxyLines(_ c: Component, _ pool: FrontPool) -> [String] {
        let q = ConfigSyntax.quoted
        let targets = pool.addresses.map { addr -> String in
            switch addr {
            case .tcp(let host, let port): return "http://" + RecipeInput.hostPort(host, port) + "/"
            case .unix(let path): return "unix:" + path + "|http://127.0.0.1/"
            case .hosted: return ""
            }
        }
        // mod_proxy adds X-Forwarded-For (and -Host, -Server) itself.
        let headers = [
            "# The client's Host as sent (with its port), so the app's absolute URLs and redirects",
            "# point back at this front door; and the scheme the client used.",
            "ProxyPreserveHost On",
            "RequestHeader set X-Forwarded-Proto \"http\"",
        ]
        if targets.count == 1 {
            return headers + ["# Every request goes to the app server.", "ProxyPass \"/\" \(q(targets[0]))"]
        }
        return headers + [
            "# Requests are balanced over the pool (by request count).",
            "<Proxy \(q("balancer://\(c.name)"))>",
        ]
            + targets.map { "    BalancerMember \(q($0))" }
            + ["</Proxy>", "ProxyPass \"/\" \(q("balancer://\(c.name)/"))"]
    }
}
