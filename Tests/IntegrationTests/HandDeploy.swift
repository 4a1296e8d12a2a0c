import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// A deploy started the way a user starts one, without stacktop: plain commands and configs
/// the test writes into a fresh 0755 directory, each root in its own session. Stopped (its
/// sessions swept, by pid) and removed by `tearDown`.
final class HandDeploy {
    let dir: String
    private(set) var roots: [ChildProcess] = []
    var sessions: Set<Int32> { Set(roots.map(\.pid)) }
    static let venv = IntegrationSupport.paths.venv
    static let demoApp = TestProject.root + "/topologies/apps/demo"

    init() {
        dir = "/tmp/stacktop-attach-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(dir, 0o755)
        chmod(dir, 0o755)
        for sub in ["tmp", "logs"] { mkdir(dir + "/" + sub, 0o755) }
    }

    /// Skips when a program the deploy needs is not installed.
    static func require(_ programs: [String]) throws {
        for p in programs where access(p, p.hasSuffix(".so") ? R_OK : X_OK) != 0 {
            throw XCTSkip("\(p) is not installed (run scripts/install-components)")
        }
    }

    /// A free loopback port.
    static func freePort() throws -> Int { try PortAllocator().freePort() }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Starts `argv` in a new session, output to logs/NAME.out.
    @discardableResult
    func start(_ argv: [String], name: String) throws -> Int32 {
        let out = open(dir + "/logs/\(name).out", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(out) }
        let pid = try ProcessSpawner().spawn(
            SpawnRequest(
                argv: argv, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"],
                workingDirectory: dir, stdoutFD: out, stderrFD: out, newSession: true))
        roots.append(ChildProcess(pid: pid, startTimeTicks: 0))
        return pid
    }

    /// Waits until GET / on `port` answers 200.
    func waitUntilServing(port: Int, timeoutMs: Int = 20_000) -> Bool {
        TestProject.eventually(timeoutMs: timeoutMs) {
            LoopbackClient(timeoutMs: 1000).get(host: "127.0.0.1", port: port, path: "/")?.status == 200
        }
    }

    /// The live processes of the deploy now (pid → start time), found by session.
    var processes: [Int32: UInt64] {
        Dictionary(
            LinuxProcessTable().liveMembers(ofSessions: sessions).map { ($0.pid, $0.startTimeTicks) },
            uniquingKeysWith: { a, _ in a })
    }

    /// Lines in a log file of the deploy.
    func lines(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// SIGTERM to each root, then SIGKILL to whatever is left in the sessions; removes the dir.
    func tearDown() {
        for root in roots where root.poll() == nil { root.send(SIGTERM) }
        for root in roots { _ = root.wait(timeoutMs: 5000) }
        _ = SessionSweeper(timeoutMs: 5000).sweep(sessions: sessions)
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: - Deploys

    /// nginx → gunicorn over a unix socket, both run by supervisord. Returns the front port.
    func nginxGunicornUnderSupervisord() throws -> Int {
        try Self.require(["/usr/sbin/nginx", "/usr/bin/supervisord", Self.venv + "/bin/gunicorn"])
        let port = try Self.freePort()
        try write(
            "nginx.conf",
            """
            worker_processes 2;  pid nginx.pid;  error_log nginx-error.log info;
            events { worker_connections 64; }
            http {
              access_log nginx-access.log;
              client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
              uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
              upstream app { server unix:\(dir)/gunicorn.sock; }
              server { listen 127.0.0.1:\(port);
                location / { proxy_pass http://app; proxy_set_header Host $host; } } }
            """)
        try write(
            "supervisord.conf",
            """
            [unix_http_server]
            file=\(dir)/supervisor.sock
            chmod=0700
            [supervisord]
            nodaemon=true
            user=root
            logfile=\(dir)/logs/supervisord.log
            pidfile=\(dir)/supervisord.pid
            childlogdir=\(dir)/logs
            directory=\(dir)
            [rpcinterface:supervisor]
            supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
            [program:gunicorn]
            command=\(Self.venv)/bin/gunicorn --bind unix:\(dir)/gunicorn.sock --workers 2 --chdir \(Self.demoApp) --no-control-socket --access-logfile \(dir)/logs/gunicorn-access.log app:app
            autorestart=true
            startsecs=1
            stopasgroup=true
            killasgroup=true
            redirect_stderr=true
            stdout_logfile=\(dir)/logs/gunicorn.log
            [program:nginx]
            command=/usr/sbin/nginx -p \(dir)/ -c nginx.conf -g "daemon off;"
            stopsignal=QUIT
            autorestart=true
            stopasgroup=true
            killasgroup=true
            redirect_stderr=true
            stdout_logfile=\(dir)/logs/nginx.log
            """)
        try start(["/usr/bin/supervisord", "-n", "-c", dir + "/supervisord.conf"], name: "supervisord")
        return port
    }

    /// gunicorn alone on a TCP port, logging requests. Returns the port.
    func gunicornAlone() throws -> Int {
        try Self.require([Self.venv + "/bin/gunicorn"])
        let port = try Self.freePort()
        try start(
            [
                Self.venv + "/bin/python3", Self.venv + "/bin/gunicorn", "--bind", "127.0.0.1:\(port)", "--workers",
                "2",
                "--chdir", Self.demoApp, "--no-control-socket", "--access-logfile", dir + "/logs/access.log", "app:app",
            ],
            name: "gunicorn")
        return port
    }

    /// nginx alone (proxying to a socket nobody serves), for a config that breaks after start.
    func nginxAlone() throws -> Int {
        try Self.require(["/usr/sbin/nginx"])
        let port = try Self.freePort()
        try write(
            "nginx.conf",
            """
            worker_processes 1;  pid nginx.pid;  error_log nginx-error.log info;
            events { worker_connections 64; }
            http { access_log nginx-access.log;
              client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
              uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
              server { listen 127.0.0.1:\(port); location / { return 200 "ok"; } } }
            """)
        try start(["/usr/sbin/nginx", "-p", dir + "/", "-c", "nginx.conf", "-g", "daemon off;"], name: "nginx")
        return port
    }
}

extension HandDeploy {
    /// nginx → uWSGI over the uwsgi protocol on a unix socket, each started by hand (Debian's
    /// uwsgi with its python3 plugin and the project's venv, no --auto-procname). Returns the port.
    func nginxUWSGI() throws -> Int {
        try Self.require(["/usr/sbin/nginx", "/usr/bin/uwsgi", "/usr/lib/uwsgi/plugins/python3_plugin.so"])
        let port = try Self.freePort()
        try write(
            "nginx.conf",
            """
            worker_processes 2;  pid nginx.pid;  error_log nginx-error.log info;
            events { worker_connections 64; }
            http { access_log nginx-access.log;
              client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
              uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
              server { listen 127.0.0.1:\(port);
                location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:\(dir)/uwsgi.sock; } } }
            """)
        try start(
            [
                "/usr/bin/uwsgi", "--plugin", "python3", "--virtualenv", Self.venv, "--socket", dir + "/uwsgi.sock",
                "--chmod-socket=666", "--master", "--processes", "2", "--chdir", Self.demoApp, "--module", "app:app",
                "--need-app", "--die-on-term", "--logto", dir + "/logs/uwsgi.log",
            ], name: "uwsgi")
        try start(["/usr/sbin/nginx", "-p", dir + "/", "-c", "nginx.conf", "-g", "daemon off;"], name: "nginx")
        return port
    }
}

extension HandDeploy {
    /// Apache with mod_wsgi in daemon mode (2 daemons named by display-name) serving a plain
    /// WSGI app written into the deploy's dir. Returns the port.
    func apacheModWSGI() throws -> Int {
        try Self.require(["/usr/sbin/apache2", "/usr/lib/apache2/modules/mod_wsgi.so"])
        let port = try Self.freePort()
        mkdir(dir + "/app", 0o755)
        mkdir(dir + "/run", 0o755)
        try write(
            "app/wsgi.py",
            """
            import os
            def application(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain"), ("X-Worker-Pid", str(os.getpid()))])
                return [b"ok\\n"]
            """)
        chmod(dir + "/app/wsgi.py", 0o644)
        try write(
            "httpd.conf",
            """
            ServerRoot "\(dir)"
            ServerName 127.0.0.1
            Listen 127.0.0.1:\(port)
            PidFile run/apache2.pid
            DefaultRuntimeDir run
            ErrorLog logs/error.log
            LogFormat "%h %l %u %t \\"%r\\" %>s %b %D" common
            CustomLog logs/access.log common
            LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
            LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
            LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so
            User www-data
            Group www-data
            StartServers 1
            ServerLimit 2
            ThreadsPerChild 25
            MaxRequestWorkers 50
            MinSpareThreads 25
            WSGISocketPrefix run/wsgi
            WSGIDaemonProcess demo processes=2 threads=4 display-name=%{GROUP}
            WSGIProcessGroup demo
            WSGIApplicationGroup %{GLOBAL}
            WSGIScriptAlias / \(dir)/app/wsgi.py
            <Directory \(dir)/app>
                Require all granted
            </Directory>
            """)
        try start(["/usr/sbin/apache2", "-f", dir + "/httpd.conf", "-DFOREGROUND"], name: "apache")
        return port
    }
}

extension HandDeploy {
    /// lighttpd spawning two flup FastCGI backends (the project's venv python) on a unix
    /// socket. Returns the port.
    func lighttpdFlup() throws -> Int {
        try Self.require(["/usr/sbin/lighttpd", Self.venv + "/bin/python3"])
        let port = try Self.freePort()
        try write(
            "fcgi.py",
            """
            import os
            from flup.server.fcgi import WSGIServer
            def app(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain"), ("X-Worker-Pid", str(os.getpid()))])
                return [b"ok\\n"]
            WSGIServer(app).run()
            """)
        try write(
            "lighttpd.conf",
            """
            server.modules = ( "mod_fastcgi", "mod_accesslog" )
            server.bind = "127.0.0.1"
            server.port = \(port)
            server.document-root = "\(dir)"
            server.pid-file = "\(dir)/lighttpd.pid"
            server.errorlog = "\(dir)/logs/error.log"
            accesslog.filename = "\(dir)/logs/access.log"
            fastcgi.server = ( "/" => ((
                "socket" => "\(dir)/fcgi.sock",
                "bin-path" => "\(Self.venv)/bin/python3 \(dir)/fcgi.py",
                "check-local" => "disable",
                "fix-root-scriptname" => "enable",
                "max-procs" => 2 )) )
            """)
        try start(["/usr/sbin/lighttpd", "-D", "-f", dir + "/lighttpd.conf"], name: "lighttpd")
        return port
    }
}
