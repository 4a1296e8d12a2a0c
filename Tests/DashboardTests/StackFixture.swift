import Foundation
import Dashboard
import StackModel
import StackRecipes
import Supervision
import TestSupport

/// A running nginx-gunicorn-supervisord stack fed through the real observer, traffic and logs.
enum StackFixture {
    static let topology = Topology(
        name: "nginx-gunicorn-supervisord",
        description: "nginx in front of gunicorn over a unix socket, both run by supervisord. Kill a worker and "
            + "gunicorn's master respawns it in about 10 ms.",
        sourcePath: "topologies/nginx-gunicorn-supervisord.yaml",
        app: AppSpec(module: "app:app", directory: demoApp, isDemo: true),
        components: [
            Component(name: "front", kind: .nginx, workers: 2, upstream: ["app"]),
            Component(name: "app", kind: .gunicorn, workers: 2, threads: 1, transport: .unix),
            Component(name: "supervisor", kind: .supervisord, supervises: ["front", "app"]),
        ],
        traffic: TrafficSpec(rate: 20))

    static func p(
        _ pid: Int32, _ ppid: Int32, _ component: String, _ role: ProcessRole, depth: Int,
        _ cmd: String
    ) -> ObservedProcess {
        ObservedProcess(
            pid: pid, ppid: ppid, startTime: UInt64(pid) * 10, component: component, role: role,
            depth: depth, commandLine: cmd)
    }

    /// The demo app of the checkout these tests run in (Tests/DashboardTests/ → the root).
    static let demoApp = TestProject.demoApp
    /// gunicorn's process titles (setproctitle is installed into the project's venv).
    static let master = "gunicorn: master [app:app]"
    static let worker = "gunicorn: worker [app:app]"
    static let processes = [
        p(
            4300, 50, "supervisor", .supervisor, depth: 0,
            "/usr/bin/python3 /usr/bin/supervisord -n -c supervisord.conf"),
        p(4301, 4300, "front", .front, depth: 0, "nginx: master process /usr/sbin/nginx -c nginx.conf"),
        p(4302, 4301, "front", .worker, depth: 1, "nginx: worker process"),
        p(4303, 4301, "front", .worker, depth: 1, "nginx: worker process"),
        p(4310, 4300, "app", .master, depth: 0, master),
        p(4311, 4310, "app", .worker, depth: 1, worker),
        p(4312, 4310, "app", .worker, depth: 1, worker),
    ]

    static let url = "http://127.0.0.1:38211/"
    static let nowMs = 65_000

    /// A second of traffic ending at `endMs`: ~20 req/s of the demo mix, attributed to the app workers.
    static func window(_ i: Int, endMs: Int, extra: [Int: Int] = [:], workers: (Int32, Int32) = (4311, 4312))
        -> TrafficSecond
    {
        let ok = 16 + (i * 7) % 5
        var byStatus = [200: ok, 500: 2]
        for (status, n) in extra { byStatus[status, default: 0] += n }
        let total = byStatus.values.reduce(0, +)
        let w1 = total / 2 + i % 2
        return TrafficSecond(
            endMs: endMs, rps: Double(total), p50Ms: 3.0 + Double(i % 4) * 0.4,
            p99Ms: 52.0 + Double((i * 13) % 9), byStatus: byStatus,
            byWorker: [workers.0: w1, workers.1: total - w1 - (extra[502] ?? 0)], loadOn: true,
            rate: 20)
    }

    /// The dashboard a minute after launch, load on, nothing broken; the observer it was fed from.
    static func running(width: Int, height: Int) -> (DashboardState, StackObserver) {
        var state = DashboardState(topology: topology, width: width, height: height)
        var observer = StackObserver(components: topology.startOrder.map(\.name))
        var events = [StackEvent(tMs: 0, .stack(topology: topology.name, runDir: "/tmp/stacktop-runs/ngs-1", url: url))]
        events.append(StackEvent(tMs: 5, .starting(argv: ["/usr/bin/supervisord"]), component: "supervisor"))
        events += observer.handle(.scanned(ProcessSnapshot(processes)), at: 400)
        events.append(StackEvent(tMs: 1_180, .ready(afterMs: 1_175), component: "app"))
        events.append(StackEvent(tMs: 1_250, .ready(afterMs: 1_245), component: "front"))
        events += observer.handle(.tick, at: 2_000)
        events.append(
            StackEvent(
                tMs: 1_300, .health(hop: "front door", answering: true, detail: "200 in 3 ms"),
                component: "front"))
        _ = update(&state, .events(events))
        _ = update(&state, .processes(observer.components))
        for i in 0..<60 { _ = update(&state, .traffic(window(i, endMs: 5_000 + i * 1_000))) }
        _ = update(
            &state,
            .usage([
                4300: UsageReading(cpuPercent: 0.3, rssBytes: 21_000_000),
                4301: UsageReading(cpuPercent: 0.0, rssBytes: 9_400_000),
                4302: UsageReading(cpuPercent: 1.2, rssBytes: 6_100_000),
                4303: UsageReading(cpuPercent: 0.8, rssBytes: 6_000_000),
                4310: UsageReading(cpuPercent: 0.1, rssBytes: 24_500_000),
                4311: UsageReading(cpuPercent: 4.1, rssBytes: 31_000_000),
                4312: UsageReading(cpuPercent: 3.9, rssBytes: 30_800_000),
            ]))
        _ = update(
            &state, .log(component: "front", text: "2025/01/01 12:00:00 [notice] 4301#4301: start worker processes\n"))
        _ = update(
            &state,
            .log(
                component: "app",
                text: """
                    [2025-01-01 12:00:00 +0000] [4310] [INFO] Starting gunicorn 23.0.0
                    [2025-01-01 12:00:00 +0000] [4310] [INFO] Listening at: unix:/tmp/stacktop-runs/ngs-1/app.sock (4310)
                    [2025-01-01 12:00:00 +0000] [4310] [INFO] Using worker: sync
                    [2025-01-01 12:00:00 +0000] [4311] [INFO] Booting worker with pid: 4311
                    [2025-01-01 12:00:00 +0000] [4312] [INFO] Booting worker with pid: 4312

                    """))
        _ = update(
            &state,
            .configFiles([
                RenderedFile(
                    path: "front/nginx.conf",
                    contents: """
                        daemon off;
                        worker_processes 2;
                        pid front/nginx.pid;
                        error_log front/error.log info;
                        events { worker_connections 256; }
                        http {
                            access_log front/access.log stacktop;
                            upstream app { server unix:/tmp/stacktop-runs/ngs-1/app/app.sock; }
                            server {
                                listen 127.0.0.1:38211;
                                location / { proxy_pass http://app; proxy_set_header X-Forwarded-For $remote_addr; }
                            }
                        }

                        """, component: "front")
            ]))
        _ = update(&state, .tick(nowMs: nowMs - 60_000))
        _ = update(&state, .key(.char("l")))
        _ = update(&state, .tick(nowMs: nowMs))
        return (state, observer)
    }

    /// The moment after the operator SIGKILLed worker 4311 and gunicorn replaced it with 4313.
    static func afterWorkerKill(width: Int, height: Int) -> (DashboardState, [Command]) {
        var (state, observer) = running(width: width, height: height)
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        _ = update(&state, .key(.down))
        let commands = update(&state, .key(.char("K")))
        var events = [
            StackEvent(
                tMs: 65_002, .fault(action: "SIGKILL", detail: ""), component: "app",
                role: .worker, pid: 4311)
        ]
        events += observer.handle(.exited(pid: 4311, signal: 9, status: nil), at: 65_003)
        var after = processes.filter { $0.pid != 4311 }
        after.append(p(4313, 4310, "app", .worker, depth: 1, worker))
        events += observer.handle(.scanned(ProcessSnapshot(after)), at: 65_015)
        _ = update(&state, .events(events))
        _ = update(&state, .processes(observer.components))
        _ = update(&state, .traffic(window(60, endMs: 65_400, extra: [502: 1], workers: (4312, 4313))))
        _ = update(&state, .tick(nowMs: 65_500))
        return (state, commands)
    }

    /// The picker with the seed stacks, one of them not runnable.
    static func picker(width: Int, height: Int) -> DashboardState {
        var state = DashboardState(width: width, height: height)
        var lighttpd = topology
        lighttpd.name = "lighttpd-flup"
        lighttpd.components = [
            Component(name: "front", kind: .lighttpd, upstream: ["app"]),
            Component(
                name: "app", kind: .flup, workers: 2, transport: .unix, proto: .fastcgi,
                inside: "front"),
        ]
        var single = topology
        single.name = "gunicorn"
        single.components = [Component(name: "app", kind: .gunicorn, workers: 2, threads: 1)]
        _ = update(
            &state,
            .picker([
                PickerEntry(name: "gunicorn", path: "topologies/gunicorn.yaml", topology: single, problem: nil),
                PickerEntry(
                    name: "lighttpd-flup", path: "topologies/lighttpd-flup.yaml", topology: lighttpd,
                    problem: "lighttpd is not installed (apt install lighttpd)"),
                PickerEntry(
                    name: "nginx-gunicorn-supervisord", path: "topologies/nginx-gunicorn-supervisord.yaml",
                    topology: topology, problem: nil),
                PickerEntry(
                    name: "broken", path: "topologies/broken.yaml", topology: nil,
                    problem: "broken.yaml:3:5: unknown server 'ngnix' (did you mean nginx?)"),
            ]))
        return state
    }
}
