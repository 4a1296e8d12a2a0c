import Testing
@testable import Discovery
import StackModel

/// The pure readers of discovery: targets, endpoints, /proc/net tables, command lines, cgroups.
struct ParserTests {
    @Test(arguments: [
        (":8080", AttachTarget.port(host: nil, port: 8080)),
        ("127.0.0.1:80", .port(host: "127.0.0.1", port: 80)),
        ("[::1]:8000", .port(host: "::1", port: 8000)),
        ("4242", .pid(4242)),
        ("/run/app.sock", .unixSocket(path: "/run/app.sock")),
        ("unix:/run/app.sock", .unixSocket(path: "/run/app.sock")),
    ])
    func targets(text: String, expected: AttachTarget) throws {
        #expect(try AttachTarget.parse(text) == expected)
    }

    @Test(arguments: ["", "nginx", ":0", ":70000", "host:"])
    func badTargetsSayWhatIsAccepted(text: String) {
        #expect(throws: DiscoveryError.self) { try AttachTarget.parse(text) }
        do { _ = try AttachTarget.parse(text) } catch { #expect(error.description.contains(":PORT, HOST:PORT, a pid")) }
    }

    @Test(arguments: [
        ("unix:/run/app.sock", Endpoint.unix(path: "/run/app.sock")),
        ("http://unix:/run/app.sock:/api", .unix(path: "/run/app.sock")),
        ("127.0.0.1:8000", .tcp(host: "127.0.0.1", port: 8000)),
        ("http://127.0.0.1:8000/x", .tcp(host: "127.0.0.1", port: 8000)),
        ("8000", .tcp(host: "127.0.0.1", port: 8000)),
        ("[::1]:9000", .tcp(host: "::1", port: 9000)),
        ("*:80", .tcp(host: "0.0.0.0", port: 80)),
    ])
    func endpoints(text: String, expected: Endpoint) {
        #expect(Endpoint.parse(text) == expected)
    }

    @Test func tcpTablesGiveListenersWithAddresses() {
        let v4 = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 123456 1 0000000000000000 100 0 0 10 0
               1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 123999 1 0000000000000000 100 0 0 10 0
               2: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000    33        0 777 1 0000000000000000 100 0 0 10 0
            """
        let l = ProcNet.tcpListeners(v4)
        #expect(
            l == [
                ProcNet.TCPListener(host: "127.0.0.1", port: 8080, inode: 123456, uid: 0),
                ProcNet.TCPListener(host: "0.0.0.0", port: 80, inode: 777, uid: 33),
            ])
        let v6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000001000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
               1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 100 0 0 10 0
            """
        #expect(ProcNet.tcpListeners(v6).map(\.host) == ["::1", "::"])
        #expect(ProcNet.address("0.0.0.0", serves: "127.0.0.1"))
        #expect(!ProcNet.address("10.0.0.5", serves: "127.0.0.1"))
    }

    @Test func acceptedConnectionsByLocalPort() {
        let text = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0
               1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 101 1 0 100 0 0 10 0
               2: 0100007F:D2F0 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 102 1 0 100 0 0 10 0
               3: 0100007F:1F90 0100007F:D2F1 06 00000000:00000000 00:00000000 00000000     0        0 0 1 0 100 0 0 10 0
            """
        // 8080's accepted end (101), not its listener (100), the client's end (102) nor a TIME_WAIT.
        #expect(ProcNet.acceptedTCP(text, localPorts: [8080]) == [101])
    }

    @Test func unixTableKeepsPathsAndTheListeningFlag() {
        let text = """
            Num       RefCount Protocol Flags    Type St Inode Path
            0000000000000000: 00000002 00000000 00010000 0001 01 31337 /tmp/d/gunicorn.sock
            0000000000000000: 00000003 00000000 00000000 0001 03 31338 /tmp/d/gunicorn.sock
            0000000000000000: 00000003 00000000 00000000 0001 03 31339
            0000000000000000: 00000002 00000000 00010000 0001 01 31340 /tmp/with space.sock
            """
        #expect(ProcNet.acceptedUnix(text, paths: ["/tmp/d/gunicorn.sock"]) == [31338])
        #expect(ProcNet.acceptedUnix(text, paths: ["/tmp/other.sock"]).isEmpty)
        #expect(
            ProcNet.unixSockets(text) == [
                ProcNet.UnixSocket(path: "/tmp/d/gunicorn.sock", inode: 31337, isListening: true),
                ProcNet.UnixSocket(path: "/tmp/d/gunicorn.sock", inode: 31338, isListening: false),
                ProcNet.UnixSocket(path: "/tmp/with space.sock", inode: 31340, isListening: true),
            ])
    }

    @Test(arguments: [
        ("nginx: master process /usr/sbin/nginx -p /tmp/d/ -c nginx.conf -g daemon off;", "nginx", ServerKind.nginx),
        ("nginx: worker process", "nginx", .nginx),
        ("/usr/bin/python3 /usr/bin/supervisord -n -c /tmp/d/s.conf", "supervisord", .supervisord),
        ("/srv/venv/bin/python3 /srv/venv/bin/gunicorn --bind unix:/tmp/a.sock app:app", "gunicorn", .gunicorn),
        ("uWSGI master", "uwsgi", .uwsgi),
        ("/usr/bin/uwsgi --ini x.ini", "uwsgi", .uwsgi),
        ("/usr/sbin/apache2 -f /tmp/h.conf -DFOREGROUND", "apache2", .apache),
        ("/usr/sbin/lighttpd -D -f /tmp/l.conf", "lighttpd", .lighttpd),
        ("/v/bin/python3 /v/bin/waitress-serve --listen=127.0.0.1:8000 app:app", "waitress-serve", .waitress),
        ("/v/bin/python3 /v/bin/flask --app app run", "flask", .werkzeug),
        ("(wsgi:app)       -f /tmp/h.conf -DFOREGROUND", "wsgi:app", .modWSGI),
        ("/v/bin/python3 /r/scripts/flup_serve.py --name app --mode fork", "python3", .flup),
    ])
    func serverKinds(commandLine: String, comm: String, kind: ServerKind) {
        #expect(ServerIdentity.kind(commandLine: commandLine, comm: comm) == kind)
    }

    @Test func otherProcessesAreNoServer() {
        #expect(ServerIdentity.kind(commandLine: "/usr/bin/python3 -m http.server", comm: "python3") == nil)
        #expect(ServerIdentity.kind(commandLine: "sleep 100", comm: "sleep") == nil)
    }

    @Test func nginxInvocationFromItsTitle() {
        let inv = ServerIdentity.nginxInvocation(
            commandLine: "nginx: master process /usr/sbin/nginx -p /tmp/d/ -c nginx.conf -g daemon off;")
        #expect(inv.binary == "/usr/sbin/nginx")
        #expect(inv.prefix == "/tmp/d/")
        #expect(inv.config == "nginx.conf")
        #expect(inv.globals == "daemon off;")
        let bare = ServerIdentity.nginxInvocation(commandLine: "nginx: master process /usr/sbin/nginx")
        #expect(bare.prefix == nil && bare.config == nil)
    }

    @Test func gunicornLogsAndBinds() {
        let args =
            "python gunicorn --bind unix:/tmp/a.sock -b=127.0.0.1:9 --access-logfile logs/access.log --error-logfile=- app:app"
            .split(separator: " ").map(String.init)
        #expect(ServerIdentity.options(["-b", "--bind"], in: args) == ["unix:/tmp/a.sock"])
        #expect(ServerIdentity.appLogs(kind: .gunicorn, args: args).access == ["logs/access.log"])
        #expect(ServerIdentity.appLogs(kind: .gunicorn, args: args).error == [])
    }

    @Test(arguments: [
        ("0::/system.slice/nginx.service\n", "nginx.service" as String?),
        ("12:pids:/system.slice/app.service\n0::/user.slice/user-0.slice/session-3.scope\n", "app.service"),
        ("0::/\n", nil),
    ])
    func units(text: String, unit: String?) {
        #expect(CgroupUnit.unit(cgroupText: text) == unit)
    }
}
