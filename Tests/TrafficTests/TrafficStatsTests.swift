import XCTest
import Traffic

/// TrafficStats: exact percentiles of known samples (within HdrHistogram's 3 digits), counts,
/// rates and window rollover.
final class TrafficStatsTests: XCTestCase {
    let t0: UInt64 = 1_000_000_000_000
    let ms: UInt64 = 1_000_000

    func sample(
        at offsetMs: UInt64, latencyMs: UInt64, _ outcome: LoadOutcome = .status(200),
        pid: Int32? = nil, path: String = "/"
    ) -> LoadSample {
        LoadSample(
            scheduledNanos: t0 + offsetMs * ms, latencyNanos: latencyMs * ms, outcome: outcome,
            workerPid: pid, path: path)
    }

    func testPercentilesOfOneToHundredMilliseconds() {
        var stats = TrafficStats(startNanos: t0)
        for i in 1...100 { stats.record(sample(at: 0, latencyMs: UInt64(i))) }
        let w = stats.closeWindow(now: t0 + 1000 * ms)
        let table: [(String, Double?, Double)] = [
            ("p50", w.p50Ms, 50), ("p90", w.p90Ms, 90), ("p99", w.p99Ms, 99), ("max", w.maxMs, 100),
        ]
        for (name, got, want) in table {
            XCTAssertEqual(try XCTUnwrap(got, name), want, accuracy: want * 0.001, name)
        }
        XCTAssertEqual(w.rps, 100, accuracy: 1e-9)
        XCTAssertEqual(w.responses, 100)
    }

    func testCountsByStatusErrorWorkerAndWhatCountsAsLatency() {
        var stats = TrafficStats(startNanos: t0)
        stats.record(contentsOf: [
            sample(at: 0, latencyMs: 2, .status(200), pid: 11),
            sample(at: 1, latencyMs: 3, .status(200), pid: 12),
            sample(at: 2, latencyMs: 4, .status(500), pid: 11),
            sample(at: 3, latencyMs: 1, .status(502)),
            sample(at: 4, latencyMs: 0, .error(.refused)),
            sample(at: 5, latencyMs: 5000, .error(.timeout)),
            sample(at: 6, latencyMs: 1, .error(.reset)),
        ])
        let w = stats.closeWindow(now: t0 + 2000 * ms)
        XCTAssertEqual(w.samples, 7)
        XCTAssertEqual(w.responses, 4)
        XCTAssertEqual(w.rps, 2, accuracy: 1e-9)
        XCTAssertEqual(w.byStatus, [200: 2, 500: 1, 502: 1])
        XCTAssertEqual(w.byError, [.refused: 1, .timeout: 1, .reset: 1])
        XCTAssertEqual(w.errors, 3)
        XCTAssertEqual(w.byWorker, [11: 2, 12: 1])
        XCTAssertEqual(try XCTUnwrap(w.maxMs), 5000, accuracy: 5, "a timeout is latency")
        XCTAssertEqual(try XCTUnwrap(w.p50Ms), 3, accuracy: 0.01, "refused/reset are not latency: 1,2,3,4,5000")
        let fields = w.eventFields
        XCTAssertEqual(
            fields.map(\.0), ["rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "by_status", "by_error", "by_worker"])
        XCTAssertEqual(fields[5].1, .counts([("200", 2), ("500", 1), ("502", 1)]))
        XCTAssertEqual(fields[6].1, .counts([("refused", 1), ("reset", 1), ("timeout", 1)]))
        XCTAssertEqual(fields[7].1, .counts([("11", 2), ("12", 1)]))
    }

    func testWindowRolloverKeepsCumulative() {
        var stats = TrafficStats(startNanos: t0)
        for i in 0..<10 { stats.record(sample(at: UInt64(i) * 100, latencyMs: 10, pid: 7)) }
        let first = stats.closeWindow(now: t0 + 1000 * ms)
        XCTAssertEqual(first.responses, 10)
        XCTAssertEqual(first.rps, 10, accuracy: 1e-9)
        XCTAssertEqual(first.startNanos, t0)
        for i in 0..<5 { stats.record(sample(at: 1000 + UInt64(i) * 100, latencyMs: 30, .status(503))) }
        XCTAssertEqual(stats.currentWindow(now: t0 + 1250 * ms).responses, 5)
        let second = stats.closeWindow(now: t0 + 1500 * ms)
        XCTAssertEqual(second.startNanos, t0 + 1000 * ms)
        XCTAssertEqual(second.responses, 5)
        XCTAssertEqual(second.rps, 10, accuracy: 1e-9)
        XCTAssertEqual(second.byStatus, [503: 5])
        XCTAssertEqual(second.byWorker, [:])
        XCTAssertEqual(try XCTUnwrap(second.p50Ms), 30, accuracy: 0.03)
        let empty = stats.closeWindow(now: t0 + 2500 * ms)
        XCTAssertEqual(empty.responses, 0)
        XCTAssertNil(empty.p50Ms)
        XCTAssertEqual(empty.eventFields[1].1, .null)
        let all = stats.cumulative(now: t0 + 2500 * ms)
        XCTAssertEqual(all.responses, 15)
        XCTAssertEqual(all.rps, 6, accuracy: 1e-9)
        XCTAssertEqual(all.byStatus, [200: 10, 503: 5])
        XCTAssertEqual(all.byWorker, [7: 10])
        XCTAssertEqual(try XCTUnwrap(all.p50Ms), 10, accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(all.maxMs), 30, accuracy: 0.03)
    }

    func testRequestMixIsExactAndSpread() {
        var mix = RequestMix([
            .init(path: "/", weight: 8), .init(path: "/slow?ms=50", weight: 1), .init(path: "error", weight: 1),
        ])
        var counts: [String: Int] = [:]
        var picks: [String] = []
        for _ in 0..<100 { let p = mix.next(); counts[p, default: 0] += 1; picks.append(p) }
        XCTAssertEqual(counts, ["/": 80, "/slow?ms=50": 10, "/error": 10])
        XCTAssertFalse(picks.prefix(10).allSatisfy { $0 == "/" }, "rare paths come early, not in a burst")
        var empty = RequestMix([])
        XCTAssertEqual(empty.next(), "/")
    }
}
