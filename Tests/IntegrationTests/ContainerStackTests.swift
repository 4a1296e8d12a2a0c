import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// The deployment guide's container (nginx + uWSGI + supervisord in one image, podman + runc),
/// launched by `stacktop up`, watched and hurt from the host, and cleaned up on every exit path.
/// The first test of a run builds the images (the base with mmdebstrap: 30 s to several minutes
/// on a loaded machine); the others find them cached.
final class ContainerStackTests: XCTestCase {
    static let topology = "docker-nginx-uwsgi-supervisord"
    /// The first run of a fresh machine builds the base image: allow for a slow mirror.
    static let firstReadyTimeoutMs = 900_000

    private var engine: ContainerEngine { ContainerEngine(paths: IntegrationSupport.paths) }

    override func setUpWithError() throws {
        guard engine.isInstalled, access("/usr/bin/mmdebstrap", X_OK) == 0 else {
            throw XCTSkip(
                "podman or mmdebstrap is missing: run scripts/install-components --containers (make test does)")
        }
    }

    /// `NSpid:` of /proc/PID/status: host pid first, then the pid in each nested namespace.
    static func nsPids(_ pid: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }) else { return [] }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().compactMap { Int32($0) }
    }

    /// Images in podman's store (intermediate layers too) that are not stacktop's cache: its
    /// `localhost/stacktop-*` images and podman's own locally built pod infra image.
    static func strayImages(_ engine: ContainerEngine) -> [String] {
        let r = engine.run(["images", "-a", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"], timeoutSeconds: 30)
        return r.output.split(separator: "\n").map(String.init).filter {
            !$0.hasPrefix("localhost/stacktop-") && !$0.hasPrefix("localhost/podman-pause:")
        }
    }

    /// The container's name from the `starting` event's podman argv.
    static func containerName(_ run: FlowUpRun) -> String? {
        guard
            let argv = run.events("starting").first(where: { $0["component"] as? String == "supervisor" })?["argv"]
                as? [String],
            let i = argv.firstIndex(of: "--name"), i + 1 < argv.count
        else { return nil }
        return argv[i + 1]
    }

    func testOneContainerServesKilledWorkerIsReplacedAndNothingIsLeft() throws {
        let run = try FlowUpRun(["up", Self.topology, "--json", "--load", "20"])
        XCTAssertTrue(
            run.wait(timeoutMs: Self.firstReadyTimeoutMs) { $0.filter { $0["type"] as? String == "ready" }.count >= 3 },
            "not ready: \((try? String(contentsOfFile: run.output, encoding: .utf8)) ?? "")")
        let building = run.events("building").compactMap { $0["detail"] as? String }
        XCTAssertTrue(building.contains { $0.contains("localhost/stacktop-base:") }, "base image progress: \(building)")
        let name = try XCTUnwrap(Self.containerName(run), "starting event names the container")
        let url = try XCTUnwrap(run.events("stack").first?["url"] as? String)
        let port = try XCTUnwrap(IntegrationSupport.port(of: url))

        let response = try XCTUnwrap(LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/"))
        XCTAssertEqual(response.status, 200)

        // supervisord is the container's PID 1, seen from the host under another pid.
        let supervisor = try XCTUnwrap(run.waitSpawned("supervisor", role: "supervisor").first)
        XCTAssertEqual(engine.initPid(name), supervisor, "podman's State.Pid is the supervisor stacktop watches")
        XCTAssertEqual(Self.nsPids(supervisor).last, 1, "supervisord is PID 1 inside: NSpid \(Self.nsPids(supervisor))")

        // A uWSGI worker killed from the host is replaced by the master inside the container.
        let workers = run.waitSpawned("app", role: "worker")
        XCTAssertEqual(workers.count, 2, "two uWSGI workers")
        let victim = try XCTUnwrap(workers.first)
        XCTAssertEqual(Self.nsPids(victim).count, 2, "a worker has a host pid and a container pid")
        XCTAssertEqual(kill(victim, SIGKILL), 0)
        XCTAssertTrue(
            run.wait(timeoutMs: 15_000) { events in
                events.contains { $0["type"] as? String == "replaced" && $0["old_pid"] as? Int == Int(victim) }
            }, "no replaced event for \(victim)")
        let replaced = try XCTUnwrap(run.events("replaced").first { $0["old_pid"] as? Int == Int(victim) })
        let newPid = Int32(try XCTUnwrap(replaced["new_pid"] as? Int))
        XCTAssertEqual(Self.nsPids(newPid).count, 2, "the new worker \(newPid) lives in the container")
        let after = try XCTUnwrap(LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/"))
        XCTAssertEqual(after.status, 200)

        // Per-worker counts of the load and of both access logs name host pids (uWSGI and nginx
        // log the container's pids), the new worker's included once it has served.
        let hostWorkers = Set(workers.map(Int.init) + [Int(newPid)])
        XCTAssertTrue(
            run.wait(timeoutMs: 15_000) { _ in
                FlowUpRun.sum(run.seconds(), "by_worker", log: "app")[String(newPid), default: 0] > 0
            },
            "the new worker \(newPid) is counted in uWSGI's access log: \(FlowUpRun.sum(run.seconds(), "by_worker", log: "app"))"
        )
        for log in ["app", "front", nil] as [String?] {
            let counted = FlowUpRun.sum(run.seconds(), "by_worker", log: log)
            XCTAssertFalse(counted.isEmpty, log ?? "load")
            XCTAssertEqual(
                Set(counted.keys.compactMap(Int.init)).subtracting(hostWorkers), [],
                "\(log ?? "the load")'s per-worker counts name host pids: \(counted) vs \(hostWorkers)")
        }

        // Access logs are written inside, read on the host through the mounted run dir.
        let runDir = try XCTUnwrap(run.runDir)
        let accessLog = (try? String(contentsOfFile: runDir + "/logs/front.access.log", encoding: .utf8)) ?? ""
        XCTAssertFalse(accessLog.isEmpty, "nginx's access log reached the host")

        let pids = Set(run.events("spawned").compactMap { ($0["pid"] as? Int).map(Int32.init) })
        let final = try run.stop()
        XCTAssertNotNil(final["by_status"])
        XCTAssertEqual(run.events("stopped").first?["clean"] as? Bool, true, "\(run.events("stopped"))")
        XCTAssertEqual(engine.containers(named: name), [], "the container is removed")
        let alive = pids.filter { pid in LinuxProcessTable().record(of: pid).map { !$0.isDead } ?? false }
        XCTAssertEqual(alive, [], "no process of the container outlives stacktop")
        XCTAssertEqual(Self.strayImages(engine), [], "no image layer beyond the cache")
    }

    func testKillNineOfStacktopRemovesTheContainer() throws {
        let run = try FlowUpRun(["up", Self.topology, "--json"])
        XCTAssertTrue(
            run.wait(timeoutMs: Self.firstReadyTimeoutMs) { $0.filter { $0["type"] as? String == "ready" }.count >= 3 },
            "not ready: \((try? String(contentsOfFile: run.output, encoding: .utf8)) ?? "")")
        let name = try XCTUnwrap(Self.containerName(run))
        let supervisor = try XCTUnwrap(run.waitSpawned("supervisor", role: "supervisor").first)
        XCTAssertEqual(engine.containers(named: name), [name])
        XCTAssertTrue(run.child.send(SIGKILL))
        _ = run.child.wait(timeoutMs: 5000)
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 20_000) { engine.containers(named: name).isEmpty },
            "the reaper removed \(name)")
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 5_000) {
                LinuxProcessTable().record(of: supervisor).map { $0.isDead } ?? true
            }, "the container's supervisord \(supervisor) is gone")
    }

    func testExportedComposeRunsWithPodmanComposeAndLeavesNoContainer() throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable)
        let compose = IntegrationSupport.paths.venv + "/bin/podman-compose"
        guard access(compose, X_OK) == 0 else {
            throw XCTSkip("\(compose) is missing: run scripts/install-components")
        }
        let dir = "/tmp/stacktop-compose-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "STACKTOP_HOME": TestProject.root,
            "LANG": "C.UTF-8", "HOME": NSHomeDirectory(),
        ]
        let export = CommandRun.run(
            [exe, "export", Self.topology, "--compose", dir], environment: env,
            timeoutSeconds: Double(Self.firstReadyTimeoutMs / 1000))
        XCTAssertTrue(export.ok, export.output)
        let doorLine = try XCTUnwrap(export.output.split(separator: "\n").first { $0.hasPrefix("front door: ") })
        let port = try XCTUnwrap(IntegrationSupport.port(of: String(doorLine.dropFirst("front door: ".count))))
        let yaml = try String(contentsOfFile: dir + "/compose.yaml", encoding: .utf8)
        XCTAssertTrue(yaml.contains("network_mode: host"))
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir + "/stack/conf/front/nginx.conf"),
            "configs are in the build context")

        var composeEnv = env
        composeEnv["CONTAINERS_CONF"] = dir + "/containers.conf"
        composeEnv["PATH"] = IntegrationSupport.paths.venv + "/bin:" + env["PATH"]!
        let project = (dir as NSString).lastPathComponent
        let image = "localhost/stacktop-export-" + Self.topology + ":latest"
        defer {
            _ = CommandRun.run(
                [compose, "down", "-t", "2"], environment: composeEnv, timeoutSeconds: 60, directory: dir)
            _ = engine.run(["rmi", "--ignore", image])
        }
        let up = CommandRun.run(
            [compose, "up", "-d", "--build"], environment: composeEnv, timeoutSeconds: 300, directory: dir)
        XCTAssertTrue(up.ok, up.tail(10).joined(separator: "\n"))
        var status: Int?
        _ = TestProject.eventually(timeoutMs: 30_000) {
            status = LoopbackClient(timeoutMs: 2000).get(host: "127.0.0.1", port: port, path: "/").map(\.status)
            return status == 200
        }
        XCTAssertEqual(status, 200, "the exported stack answers through its front door")
        XCTAssertEqual(engine.containers(named: project).count, 1)
        let down = CommandRun.run(
            [compose, "down", "-t", "2"], environment: composeEnv, timeoutSeconds: 60, directory: dir)
        XCTAssertTrue(down.ok, down.output)
        XCTAssertEqual(engine.containers(named: project), [], "podman-compose down removed the container")
        XCTAssertTrue(engine.run(["rmi", image]).ok)
        XCTAssertEqual(Self.strayImages(engine), [], "no image layer of the compose build is left beyond the cache")
    }

    /// `drill kill-worker` bare and in the container: both recover, and the container's new
    /// worker is seen serving (its X-Worker-Pid, a pid inside the container, maps to the host pid).
    func testKillWorkerRecoversBareAndInAContainer() throws {
        try DrillSkips.skipIfMissing("nginx-uwsgi-supervisord")
        let run = try DrillRunProcess([
            "compare", "nginx-uwsgi-supervisord", Self.topology, "--scenario", "kill-worker", "--json",
        ])
        XCTAssertEqual(run.wait(timeoutMs: Self.firstReadyTimeoutMs), 0, run.stderr)
        let reports = run.reports
        XCTAssertEqual(reports.compactMap { $0["topology"] as? String }, ["nginx-uwsgi-supervisord", Self.topology])
        for r in reports {
            XCTAssertEqual(r["recovered"] as? Bool, true, "\(r)")
            XCTAssertNotNil(r["first_served_ms"] as? Int, "the replacement was seen serving: \(r)")
        }
        XCTAssertEqual(engine.containers(named: "stacktop-" + Self.topology), [], "no container left")
    }

    /// The one-container image's catch, shown as the drill measures it: the nginx master killed,
    /// its orphaned worker keeps the port and serves, every master supervisord starts fails to
    /// bind, and the stack never recovers.
    func testKillFrontInTheContainerShowsTheOrphanHoldingThePort() throws {
        let run = try DrillRunProcess([
            "drill", Self.topology, "--scenario", "kill-front", "--timeout", "8", "--json", "--events",
        ])
        XCTAssertNotEqual(
            run.wait(timeoutMs: Self.firstReadyTimeoutMs), 0, "a drill that does not recover does not exit 0")
        let report = try XCTUnwrap(run.reports.first, run.stderr)
        XCTAssertEqual(report["recovered"] as? Bool, false, "\(report)")
        XCTAssertFalse((report["orphans"] as? [Any] ?? []).isEmpty, "the orphaned nginx worker is named: \(report)")
        XCTAssertGreaterThanOrEqual(
            (report["replacements"] as? [Any] ?? []).count, 2,
            "supervisord keeps starting masters that cannot bind: \(report)")
        XCTAssertEqual(report["failed"] as? Int, 0, "the orphan keeps serving: \(report)")
        let runDir = try XCTUnwrap(run.lines("stack").first?["run_dir"] as? String)
        let errors = (try? String(contentsOfFile: runDir + "/logs/front.error.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(errors.contains("Address already in use"), "nginx says why: \(errors.suffix(300))")
        XCTAssertEqual(engine.containers(named: "stacktop-" + Self.topology), [], "no container left")
    }
}
