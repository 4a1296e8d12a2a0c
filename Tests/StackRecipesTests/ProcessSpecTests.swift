import StackModel
import XCTest
@testable import StackRecipes

/// How each kind is started, checked, stopped and labelled, one row per component of the
/// seed stacks (snapshot context: run dir /RUN, venv /VENV, ports 8000+).
final class ProcessSpecTests: XCTestCase {
    struct Row {
        let stack: String
        let component: String
        let argv0: String
        let stop: Signal
        let readiness: Readiness
        let root: ProcessRole
        var launchedBy: String? = nil
        var needsRequest = false
    }

    let rows: [Row] = [
        Row(
            stack: "werkzeug", component: "front", argv0: "/VENV/bin/python", stop: .term,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/health"), root: .worker),
        Row(
            stack: "waitress", component: "front", argv0: "/VENV/bin/waitress-serve", stop: .term,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/health"), root: .worker),
        Row(
            stack: "gunicorn", component: "front", argv0: "/VENV/bin/gunicorn", stop: .term,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/health"), root: .master),
        Row(
            stack: "nginx-gunicorn", component: "app", argv0: "/VENV/bin/gunicorn", stop: .term,
            readiness: .unixSocket(path: "/RUN/run/app.sock"), root: .master),
        Row(
            stack: "nginx-gunicorn", component: "front", argv0: "/usr/sbin/nginx", stop: .quit,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/__stacktop/nginx_status"), root: .front),
        Row(
            stack: "nginx-gunicorn-supervisord", component: "supervisor", argv0: "/usr/bin/supervisord", stop: .term,
            readiness: .unixSocket(path: "/RUN/run/supervisor.sock"), root: .supervisor),
        Row(
            stack: "nginx-gunicorn-supervisord", component: "app", argv0: "/VENV/bin/gunicorn", stop: .term,
            readiness: .unixSocket(path: "/RUN/run/app.sock"), root: .master, launchedBy: "supervisor"),
        Row(
            stack: "nginx-gunicorn-supervisord", component: "front", argv0: "/usr/sbin/nginx", stop: .quit,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/__stacktop/nginx_status"), root: .front,
            launchedBy: "supervisor"),
        Row(
            stack: "uwsgi", component: "front", argv0: "/usr/bin/uwsgi-core", stop: .term,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/health"), root: .master),
        Row(
            stack: "nginx-uwsgi", component: "app", argv0: "/usr/bin/uwsgi-core", stop: .term,
            readiness: .unixSocket(path: "/RUN/run/app.sock"), root: .master),
        Row(
            stack: "apache-mod-wsgi", component: "front", argv0: "/usr/sbin/apache2", stop: .term,
            readiness: .tcp(host: "127.0.0.1", port: 8000), root: .front),
        Row(
            stack: "nginx-flup", component: "app", argv0: "/VENV/bin/python", stop: .term,
            readiness: .unixSocket(path: "/RUN/run/app.sock"), root: .master, needsRequest: true),
        Row(
            stack: "lighttpd-flup", component: "front", argv0: "/usr/sbin/lighttpd", stop: .term,
            readiness: .tcp(host: "127.0.0.1", port: 8000), root: .front),
        Row(
            stack: "lighttpd-flup", component: "app", argv0: "/VENV/bin/python", stop: .term,
            readiness: .http(host: "127.0.0.1", port: 8000, path: "/health"), root: .worker, launchedBy: "front"),
    ]

    func spec(_ stack: String, _ component: String) throws -> ProcessSpec {
        let plan = try Recipes.plan(for: SeedStacks.topology(stack), context: SeedStacks.snapshotContext)
        return try XCTUnwrap(plan.processes.first { $0.component == component }, "\(stack)/\(component)")
    }

    func testEachKindStartsChecksStopsAndLabelsAsExpected() throws {
        for row in rows {
            let p = try spec(row.stack, row.component)
            let label = "\(row.stack)/\(row.component)"
            XCTAssertEqual(p.argv.first, row.argv0, label)
            XCTAssertEqual(p.stopSignal, row.stop, label)
            XCTAssertEqual(p.readiness, row.readiness, label)
            XCTAssertEqual(p.roles.root, row.root, label)
            XCTAssertEqual(p.launchedBy, row.launchedBy, label)
            XCTAssertEqual(p.stopNeedsRequest, row.needsRequest, label)
        }
    }

    func testModWSGIIsHostedAndClaimsItsDaemonsByDisplayName() throws {
        let p = try spec("apache-mod-wsgi", "app")
        XCTAssertEqual(p.argv, [])
        XCTAssertEqual(p.launchedBy, "front")
        XCTAssertEqual(p.claimMarkers, ["(wsgi:app)"])
        XCTAssertTrue(p.claims(commandLine: "(wsgi:app)        -f /RUN/conf/front/httpd.conf -DFOREGROUND"))
        XCTAssertFalse(p.claims(commandLine: "/usr/sbin/apache2 -f /RUN/conf/front/httpd.conf -DFOREGROUND"))
        XCTAssertFalse(p.claims(commandLine: "(wsgi:app2) -f x"))
    }

    func testEveryEnvironmentIsCompleteAndHoldsNoSecrets() throws {
        for name in SeedStacks.names {
            let plan = try Recipes.plan(for: SeedStacks.topology(name), context: SeedStacks.snapshotContext)
            for p in plan.processes {
                XCTAssertEqual(p.environment["LANG"], "C.UTF-8", "\(name)/\(p.component)")
                XCTAssertNotNil(p.environment["PATH"], "\(name)/\(p.component)")
                XCTAssertEqual(p.environment["HOME"], "/RUN/tmp", "\(name)/\(p.component)")
                let python = [.gunicorn, .uwsgi, .waitress, .werkzeug, .flup].contains(p.kind)
                XCTAssertEqual(p.environment["VIRTUAL_ENV"], python ? "/VENV" : nil, "\(name)/\(p.component)")
                if python {
                    XCTAssertEqual(p.environment["PYTHONUNBUFFERED"], "1")
                    XCTAssertTrue(p.environment["PATH"]!.hasPrefix("/VENV/bin:"))
                }
                let allowed: Set<String> = [
                    "PATH", "LANG", "HOME", "TMPDIR", "VIRTUAL_ENV", "PYTHONUNBUFFERED",
                    "PYTHONPATH", "PHP_FCGI_CHILDREN", "PYTHONDONTWRITEBYTECODE",
                ]
                XCTAssertTrue(
                    Set(p.environment.keys).isSubset(of: allowed),
                    "\(name)/\(p.component): \(p.environment.keys.sorted())")
            }
        }
    }

    func testEveryPathAServerWritesIsInsideTheRunDir() throws {
        let writers = [
            "pid ", "error_log ", "access_log ", "_temp_path ", "PidFile ", "DefaultRuntimeDir ", "ErrorLog ",
            "CustomLog ", "WSGISocketPrefix ", "server.pid-file", "server.errorlog", "accesslog.filename",
            "pidfile", "control_socket", "worker_tmp_dir", "accesslog =", "stats =", "logto =", "req-logger",
            "logfile=", "childlogdir=", "file=", "stdout_logfile=",
        ]
        var checked = 0
        for name in SeedStacks.names {
            let plan = try Recipes.plan(for: SeedStacks.topology(name), context: SeedStacks.snapshotContext)
            for f in plan.files where f.path.hasPrefix("conf/") {
                for line in f.contents.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix(";") {
                    let trimmed = line.trimmingPrefixSpaces
                    guard trimmed != "access_log off;",
                        writers.contains(where: { trimmed.hasPrefix($0) || trimmed.contains(" " + $0) })
                    else { continue }
                    checked += 1
                    XCTAssertTrue(trimmed.contains("/RUN/"), "\(name)/\(f.path): \(trimmed)")
                    XCTAssertFalse(
                        trimmed.contains("/var/") || trimmed.contains(" /run/") || trimmed.contains("~"),
                        "\(name)/\(f.path): \(trimmed)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 60)
    }

    func testListenersBindLoopbackOnly() throws {
        for name in SeedStacks.names {
            let plan = try Recipes.plan(for: SeedStacks.topology(name), context: SeedStacks.snapshotContext)
            XCTAssertEqual(plan.frontDoorURL, "http://127.0.0.1:8000/", name)
            let text =
                plan.files.map(\.contents).joined(separator: "\n")
                + plan.processes.flatMap(\.argv).joined(separator: " ")
            XCTAssertFalse(text.contains("0.0.0.0"), name)
            XCTAssertFalse(text.contains("[::]"), name)
        }
    }

    func testLoopbackHostsOtherThan127001() throws {
        var t = SeedStacks.topology("nginx-gunicorn")
        t.components[0].host = "::1"
        t.components[1].transport = .tcp
        t.components[1].host = "localhost"
        let plan = try Recipes.plan(for: t, context: SeedStacks.snapshotContext)
        XCTAssertEqual(plan.frontDoorURL, "http://[::1]:8000/")
        let nginx = try XCTUnwrap(plan.files.first { $0.path == "conf/front/nginx.conf" }).contents
        XCTAssertTrue(nginx.contains("listen [::1]:8000;"))
        XCTAssertTrue(nginx.contains("server 127.0.0.1:8001;"))
        let gunicorn = try XCTUnwrap(plan.files.first { $0.path == "conf/app/gunicorn.conf.py" }).contents
        XCTAssertTrue(gunicorn.contains("bind = ['127.0.0.1:8001']"))
        XCTAssertEqual(
            plan.processes.first { $0.component == "front" }?.readiness,
            .http(host: "::1", port: 8000, path: "/__stacktop/nginx_status"))
    }

    func testRoleRulesTellMastersWorkersAndHelpersApart() throws {
        let uwsgi = try spec("uwsgi", "front").roles
        let nginx = try spec("nginx-gunicorn", "front").roles
        let cases: [(RoleRule, Int, String, ProcessRole)] = [
            (uwsgi, 0, "[front] uWSGI master", .master),
            (uwsgi, 1, "[front] uWSGI worker 1", .worker),
            (uwsgi, 1, "[front] uWSGI http 1", .helper),
            (nginx, 0, "nginx: master process /usr/sbin/nginx", .front),
            (nginx, 1, "nginx: worker process", .worker),
            (nginx, 1, "nginx: cache manager process", .helper),
            (try spec("gunicorn", "front").roles, 1, "/VENV/bin/python3 /VENV/bin/gunicorn --config x", .worker),
            (try spec("nginx-flup", "app").roles, 1, "/VENV/bin/python flup_serve.py", .worker),
        ]
        for (rule, depth, cmd, role) in cases {
            let facts = ProcessFacts(pid: 2, ppid: 1, depth: depth, commandLine: cmd, command: "x", uid: 0)
            XCTAssertEqual(rule.role(of: facts), role, cmd)
        }
    }

    func testClaimMarkersAreWholeWords() throws {
        let flup = try spec("lighttpd-flup", "app")
        XCTAssertTrue(
            flup.claims(
                commandLine:
                    "/VENV/bin/python /RUN/scripts/flup_serve.py --name app --mode single --inherit -- /APP app:app"))
        XCTAssertFalse(
            flup.claims(commandLine: "/VENV/bin/python /RUN/scripts/flup_serve.py --name app2 --mode single"))
        let uwsgi = try spec("nginx-uwsgi-supervisord", "app")
        XCTAssertTrue(uwsgi.claims(commandLine: "[app] uWSGI worker 2"))
        XCTAssertTrue(uwsgi.claims(commandLine: "/usr/bin/uwsgi-core --ini /RUN/conf/app/uwsgi.ini"))
        XCTAssertFalse(uwsgi.claims(commandLine: "nginx: master process /usr/sbin/nginx -c /RUN/conf/front/nginx.conf"))
    }

    func testSupervisordWritesOneProgramPerSupervisedComponentInStartOrder() throws {
        let plan = try Recipes.plan(
            for: SeedStacks.topology("nginx-uwsgi-supervisord"), context: SeedStacks.snapshotContext)
        XCTAssertEqual(plan.processes.map(\.component), ["supervisor", "app", "front"])
        let conf = try XCTUnwrap(plan.files.first { $0.path == "conf/supervisor/supervisord.conf" }).contents
        XCTAssertTrue(conf.contains("[program:app]\ncommand=/usr/bin/uwsgi-core --ini /RUN/conf/app/uwsgi.ini\n"))
        XCTAssertTrue(
            conf.contains(
                "[program:front]\ncommand=/usr/sbin/nginx -e /RUN/logs/front.error.log -p /RUN/ -c /RUN/conf/front/nginx.conf\n"
            ))
        XCTAssertTrue(conf.contains("stopsignal=QUIT"))
        XCTAssertTrue(conf.contains("user=root"))
        var notRoot = SeedStacks.snapshotContext
        notRoot.runningAsRoot = false
        let plain = try Recipes.plan(for: SeedStacks.topology("nginx-uwsgi-supervisord"), context: notRoot)
        XCTAssertFalse(plain.files.contains { $0.contents.contains("user=root") })
    }
}

extension Substring {
    /// Without leading spaces.
    var trimmingPrefixSpaces: String { String(drop(while: { $0 == " " })) }
}
