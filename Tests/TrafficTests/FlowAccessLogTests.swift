import XCTest
import Traffic

/// `ProbeFilter` and `AccessLogStats` on real access log lines of every server (the fixtures of
/// `AccessLogParserTests`) and on probe lines.
final class FlowAccessLogTests: XCTestCase {
    func testProbeFilterMatchesTheRequestPathOnly() {
        let filter = ProbeFilter(paths: ["/health"])
        let cases: [(String, Bool)] = [
            (#"msec=1.0 status=200 request_time=0.001 worker_pid="1" request="GET /health HTTP/1.1""#, true),
            (#"time=[26/Nov/2026:01:27:42 +0000] status=200 worker_pid=<5> request="GET /health HTTP/1.0""#, true),
            (#"epoch_ms=1 status=200 worker_pid=5 request="GET /health?verbose=1 HTTP/1.1""#, true),
            (#"msec=1.0 status=200 request="GET /__stacktop/nginx_status HTTP/1.1""#, true),
            (#"msec=1.0 status=200 request="GET /healthz HTTP/1.1""#, false),
            (#"msec=1.0 status=200 request="GET / HTTP/1.1""#, false),
            (#"msec=1.0 status=200 request="GET /slow?ms=50 HTTP/1.1""#, false),
            (#"msec=1.0 status=200 xrequest="GET /health HTTP/1.1""#, false),
            (#"msec=1.0 status=200"#, false),
            (#"msec=1.0 status=400 request="-""#, false),
            (#"status=200 request="GET /heal"#, false),
        ]
        for (line, want) in cases {
            XCTAssertEqual(filter.matches(line), want, line)
        }
        XCTAssertFalse(ProbeFilter().matches(#"status=200 request="GET /health HTTP/1.1""#), "no paths: prefix only")
    }

    func testEveryServerLineIsCountedAndFiveHundredsAreSortedByWhoMadeThem() throws {
        let cases = AccessLogParserTests.cases
        var stats = AccessLogStats(startNanos: 0)
        for c in cases { stats.record(line: c.line) }
        let w = stats.cumulative(now: 2_000_000_000)
        XCTAssertEqual(w.lines, cases.count)
        XCTAssertEqual(w.requests, cases.count)
        XCTAssertEqual(w.probes, 0)
        XCTAssertEqual(w.unparsed, 0)
        // nginx 502 and 504, Apache 503, lighttpd 503: the front server answered alone.
        XCTAssertEqual(w.frontErrors, cases.filter(\.failedWithoutApp).count)
        XCTAssertEqual(w.frontErrors, 4)
        // nginx, Apache and gunicorn lines of the app's own /error.
        XCTAssertEqual(w.appErrors, cases.filter { $0.want.status >= 500 && !$0.failedWithoutApp }.count)
        XCTAssertEqual(w.appErrors, 3)
        XCTAssertEqual(w.byStatus.values.reduce(0, +), cases.count)
        XCTAssertEqual(w.byWorker.values.reduce(0, +), cases.filter { $0.want.pid != nil }.count)
        XCTAssertEqual(w.byWorker[12056], cases.filter { $0.want.pid == 12056 }.count)
        XCTAssertEqual(w.rps, Double(cases.count) / 2, accuracy: 1e-9)
        // Upstream times come from nginx lines only; the slowest is the 504 (1.001 s).
        XCTAssertEqual(try XCTUnwrap(w.upstreamP99Ms), 1001, accuracy: 1)
        XCTAssertEqual(try XCTUnwrap(w.maxMs), 1001, accuracy: 1)
    }

    func testProbesAreCountedApartFromRequests() {
        var stats = AccessLogStats(startNanos: 0, probes: ProbeFilter(paths: ["/health"]))
        stats.record(line: #"msec=1.0 status=502 request_time=0.000 worker_pid="-" request="GET /health HTTP/1.1""#)
        stats.record(line: #"msec=1.0 status=200 request_time=0.002 worker_pid="7" request="GET /health HTTP/1.1""#)
        stats.record(line: #"msec=1.0 status=502 request_time=0.000 worker_pid="-" request="GET / HTTP/1.1""#)
        let w = stats.cumulative(now: 1_000_000_000)
        XCTAssertEqual(w.lines, 3)
        XCTAssertEqual(w.probes, 2)
        XCTAssertEqual(w.requests, 1)
        XCTAssertEqual(w.byStatus, [502: 1])
        XCTAssertEqual(w.frontErrors, 1)
        XCTAssertEqual(w.byWorker, [:])
    }

    func testWindowsCloseAndTheRunKeepsEverything() {
        var stats = AccessLogStats(startNanos: 1_000)
        let ok = #"epoch_ms=1 status=200 request_time_us=2000 worker_pid=41 request="GET / HTTP/1.1""#
        let fail = #"epoch_ms=1 status=500 request_time_us=9000 worker_pid=42 request="GET /error HTTP/1.1""#
        for _ in 0..<3 { stats.record(line: ok) }
        stats.record(line: "not an access log line")
        stats.record(line: "")
        let first = stats.closeWindow(now: 1_000 + 500_000_000)
        XCTAssertEqual(first.requests, 3)
        XCTAssertEqual(first.unparsed, 1)
        XCTAssertEqual(first.rps, 6, accuracy: 1e-9)
        XCTAssertEqual(first.p50Ms ?? 0, 2, accuracy: 0.01)
        XCTAssertEqual(first.byWorker, [41: 3])
        stats.record(line: fail)
        let second = stats.closeWindow(now: 1_000 + 1_500_000_000)
        XCTAssertEqual(second.requests, 1)
        XCTAssertEqual(second.unparsed, 0)
        XCTAssertEqual(second.byStatus, [500: 1])
        XCTAssertEqual(second.appErrors, 1)
        XCTAssertEqual(second.startNanos, first.endNanos)
        // The first window's histogram and workers were emptied, not carried over.
        XCTAssertEqual(second.p50Ms ?? 0, 9, accuracy: 0.01)
        XCTAssertEqual(second.maxMs ?? 0, 9, accuracy: 0.01)
        XCTAssertEqual(second.byWorker, [42: 1])
        XCTAssertEqual(second.lines, 1)
        let empty = stats.closeWindow(now: 1_000 + 2_500_000_000)
        XCTAssertEqual(empty.requests, 0)
        XCTAssertNil(empty.p50Ms)
        let run = stats.cumulative(now: 1_000 + 2_500_000_000)
        XCTAssertEqual(run.requests, 4)
        XCTAssertEqual(run.unparsed, 1)
        XCTAssertEqual(run.byStatus, [200: 3, 500: 1])
        XCTAssertEqual(run.byWorker, [41: 3, 42: 1])
        XCTAssertEqual(run.maxMs ?? 0, 9, accuracy: 0.01)
    }
}
