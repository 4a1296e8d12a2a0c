import Foundation
import Glibc
import XCTest
import Runtime

/// `stacktop up nginx-gunicorn` with and without `--load`, checked against sources stacktop does
/// not own: /proc (which process is a gunicorn worker), nginx's access log file read by the test,
/// and the statuses the test's own clients (curl, a plain socket) got.
final class FlowTests: XCTestCase {
    /// (a) Exactly N requests of the generator: N samples, N lines in nginx's access log, per-worker
    /// counts summing to N, every pid a gunicorn worker of this stack.
    func testBoundedLoadIsCountedExactlyByGeneratorLogAndWorkers() throws {
        let n = 300
        let run = try FlowUpRun([
            "up", "nginx-gunicorn", "--load", "200", "--requests", "\(n)", "--for", "60", "--json",
        ])
        _ = try run.waitReady(components: 2)
        let sent = run.wait { _ in run.seconds().reduce(0) { $0 + (($1["sent"] as? Int) ?? 0) } >= n }
        XCTAssertTrue(sent, "the generator did not finish \(n) requests: \(run.seconds().map { $0["sent"] ?? "?" })")

        // While the stack runs: every pid that answered is a worker whose parent is gunicorn's master.
        let master = try XCTUnwrap(run.waitSpawned("app", role: "master").first)
        let byWorker = FlowUpRun.sum(run.seconds(), "by_worker")
        XCTAssertEqual(byWorker.values.reduce(0, +), n)
        XCTAssertFalse(byWorker.isEmpty)
        let table = LinuxProcessTable()
        for pidText in byWorker.keys {
            let pid = try XCTUnwrap(Int32(pidText))
            let record = try XCTUnwrap(table.record(of: pid), "worker \(pid) is not running")
            XCTAssertEqual(record.ppid, master, "\(pid) is not a child of gunicorn's master \(master)")
            XCTAssertTrue(table.commandLine(of: pid)?.contains("gunicorn") ?? false, "\(pid) is not gunicorn")
        }
        XCTAssertTrue(Set(byWorker.keys.compactMap { Int32($0) }).isSubset(of: Set(run.spawned("app", role: "worker"))))

        let runDir = try XCTUnwrap(run.runDir)
        let totals = try run.stop()
        XCTAssertEqual(totals["sent"] as? Int, n)
        XCTAssertEqual(FlowUpRun.counts(totals["by_status"]).values.reduce(0, +), n, "every request answered")
        XCTAssertEqual(FlowUpRun.counts(totals["by_error"]), [:])
        XCTAssertEqual(FlowUpRun.counts(totals["by_worker"]), byWorker, "totals agree with the seconds")
        let front = try XCTUnwrap(FlowUpRun.log(totals, "front"))
        XCTAssertEqual(front["requests"] as? Int, n, "nginx's log, as the tailer counted it")
        XCTAssertEqual(FlowUpRun.counts(front["by_status"]), FlowUpRun.counts(totals["by_status"]))
        XCTAssertEqual(FlowUpRun.counts(front["by_worker"]), byWorker, "nginx logged the same worker pids")
        XCTAssertEqual(front["front_errors"] as? Int, 0)
        let app = try XCTUnwrap(FlowUpRun.log(totals, "app"))
        XCTAssertEqual(app["requests"] as? Int, n, "gunicorn's own log")

        // Independently: the access log file itself, without stacktop's probes.
        let text = try String(contentsOfFile: runDir + "/logs/front.access.log", encoding: .utf8)
        let lines = text.split(separator: "\n")
        let probes = lines.filter { $0.contains("request=\"GET /health ") }.count
        XCTAssertEqual(lines.count - probes, n)
        XCTAssertEqual(front["lines"] as? Int, lines.count)
        XCTAssertEqual(front["probes"] as? Int, probes)
    }

    /// (b) Requests from clients other than stacktop (curl with keep-alive, a plain socket) are
    /// counted by the access log view, with their workers.
    func testRequestsFromOtherClientsAreCounted() throws {
        let run = try FlowUpRun(["up", "nginx-gunicorn", "--for", "60", "--json"])
        let port = try run.waitReady(components: 2)
        var statuses: [Int: Int] = [:]
        let client = LoopbackClient(timeoutMs: 5000)
        for i in 0..<15 {
            let status = client.get(host: "127.0.0.1", port: port, path: "/?socket=\(i)")?.status ?? -1
            statuses[status, default: 0] += 1
        }
        let urls = (0..<10).map { "http://127.0.0.1:\(port)/?curl=\($0)" }
        for code in try curl(urls) { statuses[code, default: 0] += 1 }
        XCTAssertEqual(statuses, [200: 25])
        let seen = run.wait { _ in
            run.seconds().reduce(0) { $0 + ((FlowUpRun.log($1, "front")?["requests"] as? Int) ?? 0) } >= 25
        }
        XCTAssertTrue(seen, "per-second events did not show 25 requests")
        let totals = try run.stop()
        XCTAssertEqual(totals["sent"] as? Int, 0, "no load: stacktop sent nothing")
        XCTAssertEqual(totals["load"] as? Bool, false)
        let front = try XCTUnwrap(FlowUpRun.log(totals, "front"))
        XCTAssertEqual(front["requests"] as? Int, 25)
        XCTAssertEqual(FlowUpRun.counts(front["by_status"]), ["200": 25])
        XCTAssertEqual(FlowUpRun.counts(front["by_worker"]).values.reduce(0, +), 25)
        let workers = Set(run.spawned("app", role: "worker").map(String.init))
        XCTAssertTrue(Set(FlowUpRun.counts(front["by_worker"]).keys).isSubset(of: workers))
        XCTAssertEqual(FlowUpRun.log(totals, "app")?["requests"] as? Int, 25)
    }

    /// (c) nginx's own 502 (gunicorn's master killed) is a front error; the app's /error is an
    /// app 500.
    func testFrontServers502IsToldApartFromTheApps500() throws {
        let run = try FlowUpRun(["up", "nginx-gunicorn", "--for", "60", "--json"])
        let port = try run.waitReady(components: 2)
        let client = LoopbackClient(timeoutMs: 5000)
        XCTAssertEqual(client.get(host: "127.0.0.1", port: port, path: "/error")?.status, 500)
        let master = try XCTUnwrap(run.waitSpawned("app", role: "master").first)
        XCTAssertEqual(kill(master, SIGKILL), 0)
        // Its workers notice and exit; until then one may still answer.
        var statuses: [Int: Int] = [500: 1]
        var got502 = false
        for _ in 0..<200 where !got502 {
            let status = client.get(host: "127.0.0.1", port: port, path: "/")?.status ?? -1
            statuses[status, default: 0] += 1
            got502 = status == 502
            if !got502 { Stopwatch.sleep(ms: 50) }
        }
        XCTAssertTrue(got502, "no 502 after killing gunicorn's master: \(statuses)")
        let totals = try run.stop()
        let front = try XCTUnwrap(FlowUpRun.log(totals, "front"))
        XCTAssertEqual(
            FlowUpRun.counts(front["by_status"]),
            Dictionary(uniqueKeysWithValues: statuses.map { (String($0.key), $0.value) }))
        XCTAssertEqual(front["front_errors"] as? Int, statuses[502], "nginx's own 502s")
        XCTAssertEqual(front["app_errors"] as? Int, 1, "only /error's 500 came from the app")
        XCTAssertEqual(FlowUpRun.log(totals, "app")?["app_errors"] as? Int, 1, "gunicorn logged the 500, not the 502s")
    }

    /// Runs curl once for all `urls` (one keep-alive connection); returns the status of each.
    private func curl(_ urls: [String]) throws -> [Int] {
        guard access("/usr/bin/curl", X_OK) == 0 else { throw XCTSkip("curl is not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "--max-time", "10", "-w", "%{http_code}\\n"] + urls.flatMap { ["-o", "/dev/null", $0] }
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
    }
}
