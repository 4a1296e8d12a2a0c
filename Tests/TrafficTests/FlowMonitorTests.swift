import Foundation
import Synchronization
import XCTest
import StackModel
import Traffic
#if canImport(Glibc)
    import Glibc
#endif

/// `FlowMonitor` on log files the test writes and on a real nginx (127.0.0.1:19204-19205).
final class FlowMonitorTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "stacktop-flow-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func append(_ lines: [String], to path: String) {
        let text = lines.map { $0 + "\n" }.joined()
        if let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile()
            h.write(Data(text.utf8))
            h.closeFile()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
    }

    private static let line200 =
        #"msec=1.0 status=200 request_time=0.003 upstream_time="0.002" worker_pid="501" request="GET / HTTP/1.1""#
    private static let line502 =
        #"msec=1.0 status=502 request_time=0.000 upstream_time="0.000" worker_pid="-" request="GET / HTTP/1.1""#
    private static let probe =
        #"msec=1.0 status=200 request_time=0.001 worker_pid="502" request="GET /health HTTP/1.1""#

    func testSecondsAddUpToEveryLineOfEveryLogFromTheFirst() throws {
        let front = dir + "/front.log", app = dir + "/app.log"
        append([Self.line200, Self.probe], to: front)  // written before the monitor starts
        let seconds = Mutex<[FlowFigures]>([])
        let monitor = FlowMonitor(
            url: "http://127.0.0.1:9", mix: [WeightedPath(path: "/", weight: 1)],
            logs: [
                FlowMonitor.LogSource(component: "app", server: "gunicorn", path: app, frontDoor: false),
                FlowMonitor.LogSource(component: "front", server: "nginx", path: front, frontDoor: true),
            ],
            probes: ProbeFilter(paths: ["/health"]), tickMs: 50
        ) { f in seconds.withLock { $0.append(f) } }
        XCTAssertEqual(monitor.logs.map(\.component), ["front", "app"], "the front door's log first")
        monitor.start()
        XCTAssertTrue(wait { seconds.withLock { $0.count } >= 2 })
        append([Self.line502, Self.line200], to: front)
        append([#"epoch_ms=1 status=200 request_time_us=900 worker_pid=501 request="GET / HTTP/1.1""#], to: app)
        XCTAssertTrue(wait { seconds.withLock { $0.reduce(0) { $0 + $1.hops[0].window.lines } } >= 4 })
        append([Self.line200], to: front)  // after the last tick: read by finish
        let totals = monitor.finish()
        let perSecond = seconds.withLock { $0 }
        XCTAssertTrue(totals.cumulative)
        XCTAssertFalse(perSecond.contains { $0.cumulative })
        let frontTotals = try XCTUnwrap(totals.frontDoor).window
        XCTAssertEqual(frontTotals.lines, 5)
        XCTAssertEqual(frontTotals.requests, 4)
        XCTAssertEqual(frontTotals.probes, 1)
        XCTAssertEqual(frontTotals.byStatus, [200: 3, 502: 1])
        XCTAssertEqual(frontTotals.frontErrors, 1)
        XCTAssertEqual(frontTotals.byWorker, [501: 3])
        XCTAssertEqual(totals.hops[1].window.requests, 1)
        XCTAssertEqual(
            perSecond.reduce(0) { $0 + $1.hops[0].window.requests }, 3, "the last line came after the last second")
        XCTAssertEqual(totals.generator.samples, 0)
        XCTAssertFalse(totals.load.on)
        let count = perSecond.count
        Thread.sleep(forTimeInterval: 0.15)
        XCTAssertEqual(seconds.withLock { $0.count }, count, "no second after finish")
        XCTAssertEqual(monitor.finish(), totals, "finish twice: the same totals")
    }

    func testBoundedLoadAgainstNginxIsCountedByTheGeneratorAndTheLog() throws {
        let nginx = try NginxFixture(port: 19204)
        defer { nginx.stop() }
        let seconds = Mutex<[FlowFigures]>([])
        let monitor = FlowMonitor(
            url: nginx.url, mix: [WeightedPath(path: "/", weight: 3), WeightedPath(path: "/missing", weight: 1)],
            logs: [
                FlowMonitor.LogSource(component: "front", server: "nginx", path: nginx.accessLog.path, frontDoor: true)
            ],
            tickMs: 200
        ) { f in seconds.withLock { $0.append(f) } }
        monitor.start()
        let n = 120
        try monitor.startLoad(rate: 400, requests: n)
        XCTAssertEqual(monitor.load.limit, n)
        XCTAssertTrue(wait(seconds: 10) { monitor.load.done == n }, "done: \(monitor.load.done)")
        XCTAssertFalse(monitor.load.on, "a bounded load is off once its requests are done")
        XCTAssertTrue(monitor.load.started)
        Thread.sleep(forTimeInterval: 0.1)  // an extra request would show now
        let totals = monitor.finish()
        XCTAssertEqual(totals.generator.samples, n)
        XCTAssertEqual(totals.generator.byStatus, [200: 90, 404: 30])
        XCTAssertEqual(totals.generator.byError, [:])
        let log = try XCTUnwrap(totals.frontDoor).window
        XCTAssertEqual(log.requests, n)
        XCTAssertEqual(log.byStatus, [200: 90, 404: 30])
        XCTAssertEqual(nginx.accessLogLines().count, n, "independent count: the file itself")
        let summed = seconds.withLock { $0.reduce(0) { $0 + $1.generator.samples } }
        XCTAssertLessThanOrEqual(summed, n)
        XCTAssertNoThrow(try monitor.startLoad(rate: 10), "after finish: ignored")
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(monitor.totals().generator.samples, n)
    }

    func testStopLoadLetsRequestsInFlightFinish() throws {
        let nginx = try NginxFixture(port: 19205)
        defer { nginx.stop() }
        let monitor = FlowMonitor(url: nginx.url, mix: [WeightedPath(path: "/", weight: 1)], logs: []) { _ in }
        try monitor.startLoad(rate: 1000)
        Thread.sleep(forTimeInterval: 0.3)
        monitor.pause()
        XCTAssertTrue(monitor.load.paused)
        monitor.resume()
        monitor.setRate(500)
        XCTAssertEqual(monitor.load.rate, 500)
        monitor.stopLoad()
        let done = monitor.totals().generator
        XCTAssertGreaterThan(done.samples, 100)
        XCTAssertEqual(done.byError[.cancelled, default: 0], 0, "drained, not cancelled")
        XCTAssertEqual(done.responses, done.samples)
        XCTAssertFalse(monitor.load.started)
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(monitor.totals().generator.samples, done.samples, "nothing after stopLoad")
        monitor.finish()
    }

    private func wait(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }
}
