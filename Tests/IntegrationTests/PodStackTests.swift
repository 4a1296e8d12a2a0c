import TestSupport
import Foundation
import Glibc
import TestSupport
import XCTest
import Runtime
import StackRecipes

/// `container: pod` (topologies/pod-nginx-gunicorn.yaml): nginx and gunicorn each in its own
/// container of one podman pod on the host's network namespace, launched by `stacktop up`,
/// watched and hurt from the host, and cleaned up on every exit path (pod, containers, processes).
/// The first test of a fresh machine builds the base image (minutes); later ones find it cached.
final class PodStackTests: XCTestCase {
    static let topology = "pod-nginx-gunicorn"

    private var engine: ContainerEngine { ContainerEngine(paths: IntegrationSupport.paths) }

    override func setUpWithError() throws {
        for program in ["/usr/bin/mmdebstrap", "/usr/bin/catatonit"] where access(program, X_OK) != 0 {
            throw XCTSkip("\(program) is missing: run scripts/install-components --containers (make test does)")
        }
        guard engine.isInstalled else {
            throw XCTSkip("podman is missing: run scripts/install-components --containers")
        }
    }

    /// The `--name` and `--pod` of each component's `starting` event (its podman run argv).
    static func placement(_ run: FlowUpRun, _ component: String) -> (name: String, pod: String)? {
        guard
            let argv = run.events("starting").first(where: { $0["component"] as? String == component })?["argv"]
                as? [String],
            let n = argv.firstIndex(of: "--name"), let p = argv.firstIndex(of: "--pod"), p + 1 < argv.count
        else { return nil }
        return (argv[n + 1], argv[p + 1])
    }

    static func namespace(_ pid: Int32, _ kind: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = readlink("/proc/\(pid)/ns/\(kind)", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
    }

    static func alive(_ pids: Set<Int32>) -> Set<Int32> {
        pids.filter { pid in LinuxProcessTable().record(of: pid).map { !$0.isDead } ?? false }
    }

    func testPodServesKilledWorkerIsReplacedCountsPerHostPidAndNothingIsLeft() throws {
        let run = try FlowUpRun(["up", Self.topology, "--json", "--load", "20"])
        XCTAssertTrue(
            run.wait(timeoutMs: ContainerStackTests.firstReadyTimeoutMs) {
                $0.filter { $0["type"] as? String == "ready" }.count >= 2
            },
            "not ready: \((try? String(contentsOfFile: run.output, encoding: .utf8)) ?? "")")
        let building = run.events("building").compactMap { $0["detail"] as? String }
        for repository in ["stacktop-pod-nginx-gunicorn-app:", "stacktop-pod-nginx-gunicorn-front:"] {
            XCTAssertTrue(building.contains { $0.contains(repository) }, "one image per component: \(building)")
        }
        let app = try XCTUnwrap(Self.placement(run, "app"), "the app runs in a container of the pod")
        let front = try XCTUnwrap(Self.placement(run, "front"))
        XCTAssertEqual(app.pod, front.pod, "one pod")
        XCTAssertNotEqual(app.name, front.name, "one container each")
        XCTAssertEqual(engine.pods(named: app.pod), [app.pod])
        XCTAssertEqual(Set(engine.containers(named: app.pod)).isSuperset(of: [app.name, front.name]), true)

        let url = try XCTUnwrap(run.events("stack").first?["url"] as? String)
        let port = try XCTUnwrap(IntegrationSupport.port(of: url))
        let response = try XCTUnwrap(LoopbackClient(timeoutMs: 5000).get(host: "127.0.0.1", port: port, path: "/"))
        XCTAssertEqual(response.status, 200)

        // Each component's root is PID 1 of its own container, seen from the host under its host pid.
        let master = try XCTUnwrap(run.waitSpawned("app", role: "master").first)
        let nginx = try XCTUnwrap(run.waitSpawned("front", role: "front").first)
        XCTAssertEqual(engine.initPid(app.name), master, "podman's State.Pid of the app container is gunicorn's master")
        XCTAssertEqual(engine.initPid(front.name), nginx)
        XCTAssertEqual(ContainerStackTests.nsPids(master).last, 1)
        XCTAssertEqual(ContainerStackTests.nsPids(nginx).last, 1)
        XCTAssertNotEqual(Self.namespace(master, "pid"), Self.namespace(nginx, "pid"), "separate PID namespaces")
        XCTAssertEqual(Self.namespace(master, "net"), Self.namespace(nginx, "net"), "one network namespace: the pod's")
        XCTAssertEqual(
            Self.namespace(nginx, "net"), Self.namespace(getpid(), "net"), "the pod is on the host's network")

        // A gunicorn worker killed from the host is replaced by the master inside its container.
        let workers = run.waitSpawned("app", role: "worker")
        XCTAssertEqual(workers.count, 2, "two gunicorn workers")
        for w in workers {
            let inner = try XCTUnwrap(ContainerStackTests.nsPids(w).last)
            XCTAssertEqual(
                ContainerPid.hostPid(of: inner, under: master), w, "container pid \(inner) found under the app's root")
            XCTAssertNil(
                ContainerPid.hostPid(of: inner, under: nginx).flatMap { $0 == w ? $0 : nil },
                "not in the front's container")
        }
        let victim = try XCTUnwrap(workers.first)
        XCTAssertEqual(ContainerStackTests.nsPids(victim).count, 2, "a worker has a host pid and a container pid")
        XCTAssertEqual(kill(victim, SIGKILL), 0)
        XCTAssertTrue(
            run.wait(timeoutMs: 15_000) { events in
                events.contains { $0["type"] as? String == "replaced" && $0["old_pid"] as? Int == Int(victim) }
            }, "no replaced event for \(victim)")
        let replaced = try XCTUnwrap(run.events("replaced").first { $0["old_pid"] as? Int == Int(victim) })
        let newPid = Int32(try XCTUnwrap(replaced["new_pid"] as? Int))
        XCTAssertEqual(ContainerStackTests.nsPids(newPid).count, 2, "the new worker \(newPid) lives in the container")
        XCTAssertEqual(Self.namespace(newPid, "pid"), Self.namespace(master, "pid"))

        // Per-worker counts from both access logs name host pids, as on bare metal, once the new
        // worker has served (its container pid may be the old one's: it maps to the new host pid).
        let hostWorkers = Set(workers.map(Int.init) + [Int(newPid)])
        XCTAssertTrue(
            run.wait(timeoutMs: 15_000) { _ in
                FlowUpRun.sum(run.seconds(), "by_worker", log: "app")[String(newPid), default: 0] > 0
            },
            "the new worker \(newPid) is counted in the app's access log: \(FlowUpRun.sum(run.seconds(), "by_worker", log: "app"))"
        )
        for log in ["app", "front"] {
            let counted = FlowUpRun.sum(run.seconds(), "by_worker", log: log)
            XCTAssertFalse(counted.isEmpty, log)
            XCTAssertEqual(
                Set(counted.keys.compactMap(Int.init)).subtracting(hostWorkers), [],
                "\(log)'s access log counts only host pids of app workers: \(counted) vs \(hostWorkers)")
        }

        let pids = Set(run.events("spawned").compactMap { ($0["pid"] as? Int).map(Int32.init) })
        _ = try run.stop()
        XCTAssertEqual(run.events("stopped").first?["clean"] as? Bool, true, "\(run.events("stopped"))")
        XCTAssertEqual(engine.containers(named: app.pod), [], "the containers (and the pod's infra) are removed")
        XCTAssertEqual(engine.pods(named: app.pod), [], "the pod is removed")
        XCTAssertEqual(Self.alive(pids), [], "no process of the pod outlives stacktop")
        XCTAssertEqual(ContainerStackTests.strayImages(engine), [], "no image layer beyond the cache")
    }

    func testKillNineOfStacktopRemovesThePodAndItsContainers() throws {
        let run = try FlowUpRun(["up", Self.topology, "--json"])
        XCTAssertTrue(
            run.wait(timeoutMs: ContainerStackTests.firstReadyTimeoutMs) {
                $0.filter { $0["type"] as? String == "ready" }.count >= 2
            },
            "not ready: \((try? String(contentsOfFile: run.output, encoding: .utf8)) ?? "")")
        let app = try XCTUnwrap(Self.placement(run, "app"))
        let roots = Set(
            [run.waitSpawned("app", role: "master").first, run.waitSpawned("front", role: "front").first].compactMap {
                $0
            })
        XCTAssertEqual(roots.count, 2)
        XCTAssertEqual(engine.pods(named: app.pod), [app.pod])
        XCTAssertTrue(run.child.send(SIGKILL))
        _ = run.child.wait(timeoutMs: 5000)
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 20_000) {
                engine.pods(named: app.pod).isEmpty && engine.containers(named: app.pod).isEmpty
            },
            "the reaper removed pod \(app.pod): pods \(engine.pods(named: app.pod)), containers \(engine.containers(named: app.pod))"
        )
        XCTAssertTrue(
            TestProject.eventually(timeoutMs: 5_000) { Self.alive(roots).isEmpty },
            "the containers' roots \(roots) are gone")
    }

    /// `drill kill-worker` bare and in the pod: both recover, and the pod's new worker is seen
    /// serving (its X-Worker-Pid, a pid inside its container, maps to the host pid).
    func testKillWorkerRecoversBareAndInAPod() throws {
        try DrillSkips.skipIfMissing("nginx-gunicorn")
        let run = try DrillRunProcess([
            "compare", "nginx-gunicorn", Self.topology, "--scenario", "kill-worker", "--json",
        ])
        XCTAssertEqual(run.wait(timeoutMs: ContainerStackTests.firstReadyTimeoutMs), 0, run.stderr)
        let reports = run.reports
        XCTAssertEqual(reports.compactMap { $0["topology"] as? String }, ["nginx-gunicorn", Self.topology])
        for r in reports {
            XCTAssertEqual(r["recovered"] as? Bool, true, "\(r)")
            XCTAssertNotNil(r["first_served_ms"] as? Int, "the replacement was seen serving: \(r)")
        }
        XCTAssertEqual(engine.pods(named: "stacktop-" + Self.topology), [], "no pod left")
        XCTAssertEqual(engine.containers(named: "stacktop-" + Self.topology), [], "no container left")
    }

    /// The pod's catch, the other way round from the one-container image's: nginx's master is
    /// PID 1 of the front's container, so killing it ends the container (the kernel kills its
    /// worker with it). No orphan keeps the port, nothing restarts the front, every request
    /// after it is refused, and the drill says so.
    func testKillFrontInThePodTakesTheFrontContainerDownForGood() throws {
        let run = try DrillRunProcess(["drill", Self.topology, "--scenario", "kill-front", "--timeout", "5", "--json"])
        XCTAssertNotEqual(
            run.wait(timeoutMs: ContainerStackTests.firstReadyTimeoutMs), 0,
            "a drill that does not recover does not exit 0")
        let report = try XCTUnwrap(run.reports.first, run.stderr)
        XCTAssertEqual(report["recovered"] as? Bool, false, "\(report)")
        XCTAssertEqual(
            (report["orphans"] as? [Any] ?? []).count, 0, "no orphaned nginx worker outlives its container: \(report)")
        XCTAssertEqual((report["replacements"] as? [Any] ?? []).count, 0, "nothing restarts the front: \(report)")
        XCTAssertGreaterThan(report["failed"] as? Int ?? 0, 0, "the front door refuses: \(report)")
        XCTAssertEqual(engine.pods(named: "stacktop-" + Self.topology), [], "no pod left")
        XCTAssertEqual(engine.containers(named: "stacktop-" + Self.topology), [], "no container left")
    }

    /// Both reapers (the C `stacktop-reaper` stacktop starts, and `stacktop _reap`) remove a pod
    /// they were told of, with the container running in it, once their pipe closes.
    func testBothReapersRemoveAPodAndItsContainerAtEOF() throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable)
        guard engine.imageExists(ContainerImage.baseTag) else {
            throw XCTSkip("the base image is not built yet (the other container tests build it)")
        }
        for (i, argv) in [ReaperClient.argv(besides: exe), [exe, "_reap"]].enumerated() {
            let name = "stacktop-reapertest-\(getpid())-\(i)"
            let idFile = NSTemporaryDirectory() + "/" + name + ".podid"
            try? FileManager.default.removeItem(atPath: idFile)
            let pod = PodPlacement(identity: PodPlacement.Identity(name: name, idFile: idFile), containers: [:])
            let reaper = try ReaperClient(argv: argv)
            reaper.record(.pod(idFile: idFile, name: name, config: engine.config))
            XCTAssertTrue(engine.run(pod.createArguments(runDir: "/nonexistent")).ok, argv[0])
            let started = engine.run([
                "run", "-d", "--pod", name, "--name", name + "-sleep", "--pull=never",
                ContainerImage.baseTag, "sleep", "60",
            ])
            XCTAssertTrue(started.ok, started.output)
            let sleeper = engine.initPid(name + "-sleep")
            XCTAssertGreaterThan(sleeper, 1)
            XCTAssertEqual(engine.pods(named: name), [name])
            XCTAssertTrue(reaper.finish(timeoutMs: 60_000), "\(argv[0]) exits after removing the pod")
            XCTAssertEqual(engine.pods(named: name), [], "\(argv[0]) removed the pod")
            XCTAssertEqual(engine.containers(named: name), [], "\(argv[0]) removed its containers")
            XCTAssertTrue(TestProject.eventually(timeoutMs: 5_000) { Self.alive([sleeper]).isEmpty }, argv[0])
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: idFile), "\(argv[0]): the id file is removed with the pod")
        }
    }

    /// `export --compose` of the pod: one Containerfile and one service per component, sharing
    /// the run dir's run/ through a volume; podman-compose runs it (200 through the front door)
    /// and `down -v` leaves no container, pod or volume, and removing its two images no layer.
    func testExportedPodComposeRunsWithPodmanComposeAndLeavesNothing() throws {
        let exe = try XCTUnwrap(TestProject.stacktopExecutable)
        let compose = IntegrationSupport.paths.venv + "/bin/podman-compose"
        guard access(compose, X_OK) == 0 else { throw XCTSkip("\(compose) is missing: run scripts/install-components") }
        let dir = "/tmp/stacktop-pod-compose-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "STACKTOP_HOME": TestProject.root,
            "LANG": "C.UTF-8", "HOME": NSHomeDirectory(),
        ]
        let export = CommandRun.run(
            [exe, "export", Self.topology, "--compose", dir], environment: env,
            timeoutSeconds: Double(ContainerStackTests.firstReadyTimeoutMs / 1000))
        XCTAssertTrue(export.ok, export.output)
        let doorLine = try XCTUnwrap(export.output.split(separator: "\n").first { $0.hasPrefix("front door: ") })
        let port = try XCTUnwrap(IntegrationSupport.port(of: String(doorLine.dropFirst("front door: ".count))))
        for file in [
            "Containerfile.app", "Containerfile.front", "compose.yaml", "stack/conf/front/nginx.conf", "app/app.py",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + file), file)
        }
        let yaml = try String(contentsOfFile: dir + "/compose.yaml", encoding: .utf8)
        XCTAssertTrue(yaml.contains("\"run:/stack/run\""), yaml)

        var composeEnv = env
        composeEnv["CONTAINERS_CONF"] = dir + "/containers.conf"
        composeEnv["PATH"] = IntegrationSupport.paths.venv + "/bin:" + env["PATH"]!
        let project = (dir as NSString).lastPathComponent
        let images = ["app", "front"].map { "localhost/stacktop-export-\(Self.topology)-\($0):latest" }
        defer {
            _ = CommandRun.run(
                [compose, "down", "-v", "-t", "2"], environment: composeEnv, timeoutSeconds: 60, directory: dir)
            _ = engine.run(["rmi", "--ignore"] + images)
        }
        let up = CommandRun.run(
            [compose, "up", "-d", "--build"], environment: composeEnv, timeoutSeconds: 300, directory: dir)
        XCTAssertTrue(up.ok, up.tail(10).joined(separator: "\n"))
        var status: Int?
        _ = TestProject.eventually(timeoutMs: 30_000) {
            status = LoopbackClient(timeoutMs: 2000).get(host: "127.0.0.1", port: port, path: "/").map(\.status)
            return status == 200
        }
        XCTAssertEqual(status, 200, "the exported pod answers through its front door")
        XCTAssertEqual(engine.containers(named: project).count, 2, "one container per component")
        let down = CommandRun.run(
            [compose, "down", "-v", "-t", "2"], environment: composeEnv, timeoutSeconds: 60, directory: dir)
        XCTAssertTrue(down.ok, down.output)
        XCTAssertEqual(engine.containers(named: project), [], "podman-compose down removed the containers")
        XCTAssertEqual(engine.pods(named: "pod_" + project), [], "and its pod")
        let volumes = engine.run(["volume", "ls", "--format", "{{.Name}}"]).output
        XCTAssertFalse(volumes.contains(project), "and the run volume: \(volumes)")
        XCTAssertTrue(engine.run(["rmi"] + images).ok)
        XCTAssertEqual(
            ContainerStackTests.strayImages(engine), [], "no image layer of the compose build is left beyond the cache")
    }
}
