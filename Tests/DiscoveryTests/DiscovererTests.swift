import Testing
@testable import Discovery
import StackModel
import StackRecipes

/// The chain from a target to the deploy, on a fake machine: nginx → gunicorn over a unix
/// socket under supervisord, gunicorn alone, and the messages for targets that lead nowhere.
struct DiscovererTests {
    static let nginxMaster = "nginx: master process /usr/sbin/nginx -p /srv/d/ -c nginx.conf -g daemon off;"
    static let gunicorn =
        "/v/bin/python3 /v/bin/gunicorn --bind unix:/srv/d/app.sock --workers 2 --access-logfile logs/a.log app:app"
    static let dump = """
        # configuration file /srv/d/nginx.conf:
        http { access_log access.log;
          upstream app { server unix:/srv/d/app.sock; }
          server { listen 127.0.0.1:8080; location / { proxy_pass http://app; } } }
        """

    /// supervisord 100 → nginx 110 (+111, 112) and gunicorn 120 (+121, 122).
    static func machine() -> FakeSystemView {
        var m = FakeSystemView()
        m.add(1, 0, "/sbin/init", comm: "init")
        m.add(100, 1, "/usr/bin/python3 /usr/bin/supervisord -n -c /srv/d/supervisord.conf", comm: "supervisord")
        m.add(110, 100, nginxMaster, comm: "nginx", sockets: [5000])
        m.add(111, 110, "nginx: worker process", comm: "nginx", sockets: [5000], uid: 65534)
        m.add(112, 110, "nginx: worker process", comm: "nginx", sockets: [5000], uid: 65534)
        m.add(120, 100, gunicorn, comm: "gunicorn", sockets: [6000])
        m.add(121, 120, gunicorn, comm: "gunicorn", sockets: [6000, 6001])
        m.add(122, 120, gunicorn, comm: "gunicorn", sockets: [6000])
        m.add(300, 1, "/bin/sleep 100", comm: "sleep")
        m.tcp = [
            ProcNet.TCPListener(host: "127.0.0.1", port: 8080, inode: 5000, uid: 0),
            ProcNet.TCPListener(host: "0.0.0.0", port: 22, inode: 7000, uid: 0),
        ]
        m.unix = [
            ProcNet.UnixSocket(path: "/srv/d/app.sock", inode: 6000, isListening: true),
            ProcNet.UnixSocket(path: "/srv/d/app.sock", inode: 6001, isListening: false),
        ]
        m.cwd[120] = "/srv/d"
        m.cgroups[110] = "0::/system.slice/web.service\n"
        m.outputs["/usr/sbin/nginx -T -q -p /srv/d/ -c nginx.conf -g daemon off;"] = (0, dump, "")
        return m
    }

    @Test(arguments: [
        AttachTarget.port(host: nil, port: 8080), .port(host: "127.0.0.1", port: 8080), .pid(112),
        .pid(122), .pid(100), .unixSocket(path: "/srv/d/app.sock"),
    ])
    func everyTargetLeadsToTheSameChain(target: AttachTarget) throws {
        let d = try Discoverer(system: Self.machine()).discover(target)
        // The app's socket and pids lead back to the front that forwards to it.
        #expect(d.front?.pid == 110)
        #expect(d.front?.kind == .nginx)
        #expect(d.front?.accessLogs == ["/srv/d/access.log"])
        #expect(d.front?.unit == "web.service")
        #expect(d.hop == .http)
        #expect(d.frontDoor == .tcp(host: "127.0.0.1", port: 8080))
        #expect(d.app?.pid == 120)
        #expect(d.app?.kind == .gunicorn)
        #expect(d.app?.listens.first == .unix(path: "/srv/d/app.sock"))
        #expect(d.app?.accessLogs == ["/srv/d/logs/a.log"])
        #expect(d.supervisor?.pid == 100)
        #expect(d.supervisor?.config == "/srv/d/supervisord.conf")
    }

    @Test func thePlanSeedsTheWatcherFromSupervisordAndClaimsItsPrograms() throws {
        let d = try Discoverer(system: Self.machine()).discover(.port(host: nil, port: 8080))
        let plan = AttachedPlan.plan(of: d)
        #expect(plan.processes.map(\.component) == ["supervisord", "nginx", "gunicorn"])
        #expect(plan.frontDoorURL == "http://127.0.0.1:8080")
        let gunicorn = try #require(plan.processes.last)
        #expect(gunicorn.launchedBy == "supervisord")
        #expect(gunicorn.claims(commandLine: Self.gunicorn))
        #expect(!gunicorn.claims(commandLine: "nginx: worker process"))
        #expect(gunicorn.readiness == .unixSocket(path: "/srv/d/app.sock"))
        #expect(AttachedPlan.roots(of: d).map(\.pid) == [100])
        let topology = AttachedPlan.topology(of: d)
        #expect(topology.frontDoor?.name == "nginx")
        #expect(topology.component("nginx")?.upstream == ["gunicorn"])
        #expect(topology.supervisor(of: "gunicorn")?.name == "supervisord")
    }

    @Test func gunicornAloneIsItsOwnFrontDoor() throws {
        var m = FakeSystemView()
        let cmd = "/v/bin/python3 /v/bin/gunicorn --bind 127.0.0.1:9000 app:app"
        m.add(200, 1, cmd, comm: "gunicorn", sockets: [8000])
        m.add(201, 200, cmd, comm: "gunicorn", sockets: [8000])
        m.tcp = [ProcNet.TCPListener(host: "127.0.0.1", port: 9000, inode: 8000, uid: 0)]
        let d = try Discoverer(system: m).discover(.port(host: nil, port: 9000))
        #expect(d.front == nil && d.supervisor == nil)
        #expect(d.app?.pid == 200)
        #expect(d.frontDoor == .tcp(host: "127.0.0.1", port: 9000))
        #expect(AttachedPlan.roots(of: d).map(\.pid) == [200])
        #expect(AttachedPlan.plan(of: d).processes.first?.launchedBy == nil)
    }

    /// setproctitle leaves `gunicorn: master [app:app]` and no options: the binds are the
    /// listening sockets it holds, the logs the files it holds open.
    @Test func aRetitledGunicornIsReadFromItsSocketsAndOpenFiles() throws {
        var m = FakeSystemView()
        m.add(200, 1, "gunicorn: master [app:app]", comm: "gunicorn", sockets: [8000])
        m.add(201, 200, "gunicorn: worker [app:app]", comm: "gunicorn", sockets: [8000])
        m.tcp = [ProcNet.TCPListener(host: "127.0.0.1", port: 9000, inode: 8000, uid: 0)]
        m.open[200] = ["/srv/d/logs/access.log", "/srv/d/logs/error.log", "/srv/d/app.db"]
        let d = try Discoverer(system: m).discover(.port(host: nil, port: 9000))
        let app = try #require(d.app)
        #expect(app.kind == .gunicorn && app.pid == 200)
        #expect(app.listens == [.tcp(host: "127.0.0.1", port: 9000)])
        #expect(app.accessLogs == ["/srv/d/logs/access.log"])
        #expect(app.errorLogs == ["/srv/d/logs/error.log"])
    }

    @Test func listFindsEachDeployOnce() {
        let deploys = Discoverer(system: Self.machine()).list()
        #expect(deploys.map(\.front?.pid) == [110])
        #expect(
            deploys.first?.summary.contains(
                "nginx 110 → gunicorn 120 (http unix:/srv/d/app.sock)  under supervisord 100") == true)
    }

    @Test(arguments: [
        (AttachTarget.port(host: nil, port: 9999), ":9999: nothing listens on port 9999 (web servers listen on :8080)"),
        (.pid(300), "pid 300: pid 300 (/bin/sleep 100) is not a web server stacktop knows"),
        (.pid(4242), "pid 4242: no process with pid 4242"),
        (
            .port(host: nil, port: 22),
            ":22: a socket listens on port 22 (uid 0), but stacktop cannot see which process holds it"
        ),
        (.unixSocket(path: "/srv/d/gone.sock"), "/srv/d/gone.sock: no such unix socket"),
    ])
    func badTargetsNameWhatWasFound(target: AttachTarget, message: String) {
        do {
            _ = try Discoverer(system: Self.machine()).discover(target)
            Issue.record("no error for \(target)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func anUnreadableConfigIsNamedWithNginxsOwnWords() {
        var m = Self.machine()
        m.outputs["/usr/sbin/nginx -T -q -p /srv/d/ -c nginx.conf -g daemon off;"] =
            (1, "", "nginx: [emerg] open() \"/srv/d/nginx.conf\" failed (13: Permission denied)\n")
        do {
            _ = try Discoverer(system: m).discover(.port(host: nil, port: 8080))
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("cannot read the configuration of nginx (pid 110)"))
            #expect(error.description.contains("(13: Permission denied)"))
        }
    }
}
