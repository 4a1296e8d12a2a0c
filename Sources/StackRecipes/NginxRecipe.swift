import StackModel

/// nginx as the front door: a master (root) and `workers` worker processes (nobody when
/// started as root) forwarding to one upstream pool over http, uwsgi or FastCGI.
enum NginxRecipe: Recipe {
    static let kind = ServerKind.nginx

    static func render(_ c: Component, _ input: RecipeInput) throws(RecipeError) -> RecipeOutput {
        let front = try FrontServer(c, input, configFile: "nginx.conf")
        let (pool, host, port) = (front.pool, front.host, front.port)
        let (configPath, pidFile, errorLog, accessLog) = (
            front.configPath, front.pidFile, front.errorLog, front.accessLog
        )
        let q = ConfigSyntax.quoted
        let conf = input.context.tools.nginxConfDir
        let tmp = RunDirLayout.tmp + "/" + c.name
        let upstreamName = c.name + "_pool"
        var servers: [String] = []
        for addr in pool.addresses {
            switch addr {
            case .tcp(let h, let p): servers.append("        server \(RecipeInput.hostPort(h, p));")
            case .unix(let path): servers.append("        server \(q("unix:" + path));")
            case .hosted(let h):
                throw .unsupported(c.name, "nginx cannot host app servers; '\(h)' hosts one of its upstream")
            }
        }
        let location: [String]
        switch pool.proto {
        case .http:
            location = [
                "            proxy_pass http://\(upstreamName);",
                "            # The client's Host as sent (with its port), so the app's absolute URLs",
                "            # and redirects point back at this front door.",
                "            proxy_set_header Host $http_host;",
                "            proxy_set_header X-Real-IP $remote_addr;",
                "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "            proxy_set_header X-Forwarded-Proto $scheme;",
            ]
        case .uwsgi:
            location =
                [
                    "            # nginx's uwsgi_params written out, but HTTP_HOST is the client's Host as sent",
                    "            # (with its port; Debian's params file uses $host, which drops it).",
                ] + NginxParams.uwsgi + [
                    "            uwsgi_pass \(upstreamName);"
                ]
        case .fastcgi:
            location =
                [
                    "            # nginx's fastcgi_params written out, but HTTP_HOST is the client's Host as sent",
                    "            # (with its port; Debian's params file uses $host, which drops it).",
                    "            # The app is mounted at /: the whole path is PATH_INFO.",
                ] + NginxParams.fastcgi + [
                    "            fastcgi_pass \(upstreamName);"
                ]
        case .embedded:
            throw .unsupported(c.name, "nginx cannot embed an app server; use http, uwsgi or fastcgi")
        }
        let listen = RecipeInput.hostPort(host, port)
        let lines: [String] =
            [
                "# nginx.conf for component \"\(c.name)\", written by stacktop.",
                "# Start it with: \(input.context.tools.nginx) -p RUN_DIR/ -c THIS_FILE",
                "# Started as root, the workers run as nginx's default user (nobody): they reach the",
                "# app sockets because the run dir is traversable (0711) and the sockets are 0666.",
                "daemon off;",
                "worker_processes \(c.workers(or: 1));",
                "# Everything nginx writes stays in the run dir (Debian's defaults are /run and /var).",
                "pid \(q(input.path(pidFile)));",
                "error_log \(q(input.path(errorLog))) notice;",
                "",
                "events {",
                "    worker_connections 1024;",
                "}",
                "",
                "http {",
                "    include \(q(conf + "/mime.types"));",
                "    # stacktop's access log format (see AccessLogFormat.nginx).",
                "    log_format stacktop '\(AccessLogFormat.nginx)';",
                "    access_log \(q(input.path(accessLog))) stacktop;",
                "    client_body_temp_path \(q(input.path(tmp + "/body")));",
                "    proxy_temp_path \(q(input.path(tmp + "/proxy")));",
                "    fastcgi_temp_path \(q(input.path(tmp + "/fastcgi")));",
                "    uwsgi_temp_path \(q(input.path(tmp + "/uwsgi")));",
                "    scgi_temp_path \(q(input.path(tmp + "/scgi")));",
                "",
                "    upstream \(upstreamName) {",
            ] + servers + [
                "    }",
                "",
                "    server {",
                "        listen \(listen);",
                "        server_name localhost;",
                "",
                "        # Connection counters for stacktop, answered to loopback clients only.",
                "        location = \(AccessLogFormat.nginxStatusPath) {",
                "            stub_status;",
                "            allow 127.0.0.1;",
                "            allow ::1;",
                "            deny all;",
                "            access_log off;",
                "        }",
                "",
                "        location / {",
            ] + location + [
                "        }",
                "    }",
                "}",
                "",
            ]
        return front.output(
            kind: kind,
            argv: [
                input.context.tools.nginx, "-e", input.path(errorLog), "-p", input.context.runDir + "/",
                "-c", input.path(configPath),
            ],
            environment: input.baseEnvironment,
            readiness: .http(host: host, port: port, path: AccessLogFormat.nginxStatusPath),
            stopSignal: .quit,
            roles: RoleRule(
                root: .front, helperMarkers: ["cache manager", "cache loader"],
                workerMarkers: ["worker process"]),
            status: .nginxStubStatus(host: host, port: port, path: AccessLogFormat.nginxStatusPath),
            config: lines.joined(separator: "\n"), directories: [tmp], input)
    }
}
