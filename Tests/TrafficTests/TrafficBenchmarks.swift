import Foundation
import XCTest
import Traffic

/// On-demand benchmarks (benchmarks/loadgen.sh and benchmarks/logparse.sh run them in a release
/// build): skipped unless STACKTOP_BENCH=1. Each prints `BENCH key=value` lines.
final class TrafficBenchmarks: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["STACKTOP_BENCH"] == "1", "set STACKTOP_BENCH=1")
    }

    func bench(_ key: String, _ value: String) {
        print("BENCH \(key)=\(value)")
    }

    /// Closed-loop max throughput vs `wrk -t2 -c32 -d5s` on the same nginx static target, and the
    /// CPU each client spends per request (wrk's from RUSAGE_CHILDREN, ours from RUSAGE_SELF).
    /// Odd rounds run wrk first, even rounds ours first, so a drift in the machine's other load
    /// does not favour one side.
    func testLoadGeneratorVersusWrk() async throws {
        let nginx = try NginxFixture(port: 19250, workers: 2, accessLog: false)
        defer { nginx.stop() }
        let seconds = Int(ProcessInfo.processInfo.environment["STACKTOP_BENCH_SECONDS"] ?? "5") ?? 5
        let rounds = Int(ProcessInfo.processInfo.environment["STACKTOP_BENCH_ROUNDS"] ?? "2") ?? 2
        let threads = Int(ProcessInfo.processInfo.environment["STACKTOP_BENCH_THREADS"] ?? "2") ?? 2
        for round in 1...rounds {
            var wrk: (rps: Double, latency: String) = (0, "")
            var measured: ClosedLoopResult?
            for side in round % 2 == 1 ? ["wrk", "ours"] : ["ours", "wrk"] {
                if side == "wrk" {
                    let wrkCPU = Self.cpuSeconds(children: true)
                    wrk = try Self.runWrk(url: nginx.url + "/", seconds: seconds)
                    bench(
                        "wrk_cpu_us_\(round)",
                        String(
                            format: "%.2f",
                            (Self.cpuSeconds(children: true) - wrkCPU) * 1e6 / (wrk.rps * Double(seconds))))
                } else {
                    let ourCPU = Self.cpuSeconds(children: false)
                    let run = try await ClosedLoopLoad.run(
                        url: nginx.url, connections: 32, threads: threads, duration: .seconds(Int64(seconds)))
                    bench(
                        "stacktop_cpu_us_\(round)",
                        String(
                            format: "%.2f",
                            (Self.cpuSeconds(children: false) - ourCPU) * 1e6 / Double(max(1, run.responses))))
                    measured = run
                }
            }
            let ours = try XCTUnwrap(measured)
            bench("wrk_rps_\(round)", String(format: "%.0f", wrk.rps))
            bench("wrk_latency_\(round)", wrk.latency)
            XCTAssertEqual(ours.byStatus.keys.sorted(), [200])
            bench("stacktop_rps_\(round)", String(format: "%.0f", ours.rps))
            bench("stacktop_mean_ms_\(round)", String(format: "%.3f", ours.meanLatencyMs))
            bench("stacktop_p99_ms_\(round)", String(format: "%.3f", ours.latencyMs(percentile: 99)))
            bench("stacktop_errors_\(round)", String(ours.byError.values.reduce(0, +)))
            bench("ratio_\(round)", String(format: "%.3f", ours.rps / wrk.rps))
        }
    }

    /// The closed loop alone for STACKTOP_BENCH_SECONDS with STACKTOP_BENCH_THREADS event loops
    /// (2), against STACKTOP_BENCH_URL (a loopback server the caller runs; valgrind cannot spawn
    /// one) or else a private nginx on port 19252: the run benchmarks/loadgen-profile.sh profiles.
    func testClosedLoopAlone() async throws {
        let env = ProcessInfo.processInfo.environment
        let nginx = env["STACKTOP_BENCH_URL"] == nil ? try NginxFixture(port: 19252, workers: 2, accessLog: false) : nil
        defer { nginx?.stop() }
        let url = try XCTUnwrap(env["STACKTOP_BENCH_URL"] ?? nginx?.url)
        let seconds = Int(env["STACKTOP_BENCH_SECONDS"] ?? "5") ?? 5
        let threads = Int(env["STACKTOP_BENCH_THREADS"] ?? "2") ?? 2
        let cpu = Self.cpuSeconds(children: false)
        let ours = try await ClosedLoopLoad.run(
            url: url, connections: 32, threads: threads, duration: .seconds(Int64(seconds)))
        bench("alone_responses", String(ours.responses))
        bench(
            "alone_cpu_us",
            String(format: "%.2f", (Self.cpuSeconds(children: false) - cpu) * 1e6 / Double(max(1, ours.responses))))
        XCTAssertEqual(ours.byStatus.keys.sorted(), [200])
        bench("alone_rps", String(format: "%.0f", ours.rps))
        bench("alone_errors", String(ours.byError.values.reduce(0, +)))
    }

    /// The open-loop generator at the rate cap (10,000 rps) for 3 s: achieved rate, latency from
    /// the scheduled time, errors.
    func testOpenLoopAtRateCap() async throws {
        let nginx = try NginxFixture(port: 19251, workers: 2, accessLog: false)
        defer { nginx.stop() }
        var stats = TrafficStats(startNanos: LoadGenerator.nowNanos)
        let box = SampleBox()
        let gen = try LoadGenerator(url: nginx.url) { s in box.add(s) }
        let n = 30_000
        let start = LoadGenerator.nowNanos
        gen.start(rate: LoadSettings.maxRate, requests: n)
        XCTAssertEqual(box.wait(for: n, seconds: 20), n)
        let end = LoadGenerator.nowNanos
        await gen.stop()
        stats.record(contentsOf: box.all)
        let w = stats.cumulative(now: end)
        bench("openloop_requests", String(w.samples))
        bench("openloop_seconds", String(format: "%.3f", Double(end - start) / 1e9))
        bench("openloop_rps", String(format: "%.0f", Double(w.responses) / (Double(end - start) / 1e9)))
        bench("openloop_p50_ms", String(format: "%.3f", w.p50Ms ?? -1))
        bench("openloop_p99_ms", String(format: "%.3f", w.p99Ms ?? -1))
        bench("openloop_max_ms", String(format: "%.3f", w.maxMs ?? -1))
        bench(
            "openloop_errors",
            w.byError.map { "\($0.key.rawValue):\($0.value)" }.sorted().joined(separator: ",").ifEmpty("none"))
    }

    /// Parse rate of a generated 1M-line nginx access log (through LogTail, the real path) vs `wc -l`.
    func testAccessLogParseRate() throws {
        let n = 1_000_000
        let path = NSTemporaryDirectory() + "stacktop-bench-\(getpid()).log"
        defer { unlink(path) }
        try Self.writeNginxLog(path: path, lines: n)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        bench("log_bytes", String(size))
        for round in 1...3 {
            let wcStart = Date()
            let wc = Process()
            wc.executableURL = URL(fileURLWithPath: "/usr/bin/wc")
            wc.arguments = ["-l", path]
            wc.standardOutput = FileHandle.nullDevice
            try wc.run()
            wc.waitUntilExit()
            let wcSeconds = Date().timeIntervalSince(wcStart)

            let start = Date()
            let tail = LogTail(path: path)
            var parsed = 0
            var statusSum = 0
            tail.pollFields {
                parsed += 1; statusSum &+= $0.status
            }
            let seconds = Date().timeIntervalSince(start)
            XCTAssertEqual(parsed, n)
            XCTAssertEqual(tail.rejectedLines, 0)
            XCTAssertGreaterThan(statusSum, 0)
            bench("parse_lines_per_s_\(round)", String(format: "%.0f", Double(n) / seconds))
            bench("wc_lines_per_s_\(round)", String(format: "%.0f", Double(n) / wcSeconds))
        }
    }

    /// Writes `lines` nginx lines in stacktop's format, varied like a real mixed run.
    static func writeNginxLog(path: String, lines: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        defer { try? h.close() }
        var chunk = ""
        chunk.reserveCapacity(1 << 20)
        let paths = ["/", "/slow?ms=50", "/error", "/health", "/static/app.css"]
        for i in 0..<lines {
            let p = paths[i % 5]
            let status = i % 50 == 0 ? 502 : (i % 10 == 2 ? 500 : 200)
            let ms = 1_795_656_462_000 + i / 7
            let up =
                status == 502
                ? #"upstream_time="0.000" upstream_status="502""#
                : #"upstream_time="0.\#(String(format: "%03d", i % 97))" upstream_status="\#(status)""#
            let worker = status == 502 ? "-" : String(12056 + i % 4)
            chunk +=
                "msec=\(ms / 1000).\(String(format: "%03d", ms % 1000)) status=\(status) request_time=0.\(String(format: "%03d", i % 101)) nginx_pid=\(12015 + i % 2) \(up) upstream_addr=\"unix:/tmp/stacktop-runs/nginx-gunicorn-20261126-012623-6079/run/app.sock\" worker_pid=\"\(worker)\" request=\"GET \(p) HTTP/1.1\"\n"
            if chunk.utf8.count > 1 << 20 { h.write(Data(chunk.utf8)); chunk.removeAll(keepingCapacity: true) }
        }
        h.write(Data(chunk.utf8))
    }

    /// User plus system CPU seconds of this process (`RUSAGE_SELF`) or its reaped children.
    static func cpuSeconds(children: Bool) -> Double {
        var u = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    static func runWrk(url: String, seconds: Int) throws -> (rps: Double, latency: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        p.arguments = ["-t2", "-c32", "-d\(seconds)s", url]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let rpsLine = text.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") } ?? ""
        let rps = Double(rpsLine.split(separator: " ").last ?? "") ?? 0
        let latLine = text.split(separator: "\n").first { $0.contains("Latency") } ?? ""
        let lat =
            latLine.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? "?"
        return (rps, "avg \(lat)")
    }
}

private extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
