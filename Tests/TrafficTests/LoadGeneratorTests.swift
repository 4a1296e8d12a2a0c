import Foundation
import XCTest
import Traffic
#if canImport(Glibc)
    import Glibc
#endif

/// The open-loop generator against a real nginx on 127.0.0.1:19201-19203 and a dead port.
final class LoadGeneratorTests: XCTestCase {
    func testExactlyNRequestsReachNginxAndItsAccessLog() async throws {
        let nginx = try NginxFixture(port: 19201)
        defer { nginx.stop() }
        let box = SampleBox()
        let gen = try LoadGenerator(url: nginx.url) { box.add($0) }
        let n = 500
        let started = LoadGenerator.nowNanos
        gen.start(rate: 200, requests: n)
        XCTAssertEqual(box.wait(for: n, seconds: 10), n)
        let elapsed = Double(LoadGenerator.nowNanos - started) / 1e9
        try await Task.sleep(nanoseconds: 200_000_000)  // any extra sample would show up now
        await gen.stop()
        let samples = box.all
        XCTAssertEqual(samples.count, n)
        XCTAssertEqual(samples.filter { $0.status == 200 }.count, n)
        // Open loop keeps the clock: never faster than the schedule (slower only on a busy machine).
        XCTAssertGreaterThanOrEqual(elapsed, Double(n - 1) / 200)
        XCTAssertLessThan(elapsed, Double(n - 1) / 200 + 1.5)
        // Scheduled times are exactly 5 ms apart.
        let sched = samples.map(\.scheduledNanos).sorted()
        XCTAssertEqual(sched.last! - sched.first!, UInt64(n - 1) * 5_000_000)
        var lines = nginx.accessLogLines()
        for _ in 0..<100 where lines.count < n { usleep(10_000); lines = nginx.accessLogLines() }
        XCTAssertEqual(lines.count, n)
        let parsed = lines.compactMap { AccessLogParser.parse($0) }
        XCTAssertEqual(parsed.count, n)
        XCTAssertTrue(parsed.allSatisfy { $0.status == 200 && $0.upstreamAttempts == 0 })
    }

    func testStoppedPortYieldsRefusedNotHangs() async throws {
        XCTAssertFalse(NginxFixture.portOpen(19299), "port 19299 must be free for this test")
        let box = SampleBox()
        let gen = try LoadGenerator(url: "http://127.0.0.1:19299") { box.add($0) }
        gen.start(rate: 100, requests: 20)
        XCTAssertEqual(box.wait(for: 20, seconds: 3), 20)
        await gen.stop()
        XCTAssertEqual(box.all.map(\.errorKind), Array(repeating: .refused, count: 20))
        XCTAssertTrue(box.all.allSatisfy { $0.latencyNanos < 500_000_000 })
    }

    /// SIGSTOP the only nginx worker for 300 ms: requests scheduled in that window must show
    /// the stall as latency (no coordinated omission), and all still succeed.
    func testStalledServerShowsAsLatency() async throws {
        let nginx = try NginxFixture(port: 19202, workers: 1)
        defer { nginx.stop() }
        let worker = try XCTUnwrap(nginx.workerPids.first)
        let box = SampleBox()
        let gen = try LoadGenerator(url: nginx.url) { box.add($0) }
        gen.start(rate: 200, requests: 300)
        try await Task.sleep(nanoseconds: 500_000_000)
        let stoppedAt = LoadGenerator.nowNanos
        kill(worker, SIGSTOP)
        try await Task.sleep(nanoseconds: 300_000_000)
        let resumedAt = LoadGenerator.nowNanos  // taken before SIGCONT: nothing can complete earlier
        kill(worker, SIGCONT)
        XCTAssertEqual(box.wait(for: 300, seconds: 10), 300)
        await gen.stop()
        let samples = box.all
        XCTAssertEqual(samples.filter { $0.status == 200 }.count, 300)
        let inWindow = samples.filter {
            $0.scheduledNanos >= stoppedAt + 5_000_000 && $0.scheduledNanos < resumedAt - 20_000_000
        }
        XCTAssertGreaterThan(inWindow.count, 40)
        for s in inWindow {
            // Each waited at least until the worker resumed.
            XCTAssertGreaterThanOrEqual(
                s.completedNanos, resumedAt, "scheduled at +\((s.scheduledNanos - stoppedAt) / 1_000_000) ms")
        }
        let first = try XCTUnwrap(inWindow.min { $0.scheduledNanos < $1.scheduledNanos })
        XCTAssertGreaterThanOrEqual(first.latencyNanos, 250_000_000)
    }

    func testRefusesNonLoopbackTargets() {
        let table: [(String, Bool)] = [
            ("http://127.0.0.1:8080", true), ("http://localhost:80/", true), ("http://[::1]:9000", true),
            ("http://127.1.2.3:1", true), ("http://10.0.0.1:80", false), ("http://example.com:80", false),
            ("https://127.0.0.1:443", false), ("http://127.0.0.1", false), ("http://127.0.0.1:80/x", false),
            ("http://0.0.0.0:80", false), ("http://128.0.0.1:80", false),
        ]
        for (url, ok) in table {
            XCTAssertEqual((try? LoopbackTarget(url: url)) != nil, ok, url)
        }
        XCTAssertThrowsError(try LoadGenerator(url: "http://10.1.1.1:80") { _ in }) { error in
            XCTAssertTrue("\(error)".contains("not loopback"), "\(error)")
        }
    }
}

/// The closed-loop max mode against a real nginx: every response it counts is a line in
/// nginx's access log.
final class ClosedLoopLoadTests: XCTestCase {
    func testCountsMatchTheAccessLog() async throws {
        let nginx = try NginxFixture(port: 19203, workers: 1)
        defer { nginx.stop() }
        let result = try await ClosedLoopLoad.run(
            url: nginx.url, connections: 4, threads: 1, duration: .milliseconds(400))
        XCTAssertGreaterThan(result.responses, 100)
        XCTAssertEqual(result.byStatus, [200: result.responses])
        XCTAssertEqual(result.byError, [:])
        XCTAssertGreaterThanOrEqual(result.seconds, 0.4)
        XCTAssertLessThan(result.seconds, 2)
        var lines = nginx.accessLogLines()
        for _ in 0..<100 where lines.count < result.responses { usleep(10_000); lines = nginx.accessLogLines() }
        XCTAssertEqual(lines.count, result.responses)
    }
}
