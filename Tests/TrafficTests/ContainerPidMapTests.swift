import StackModel
import XCTest
@testable import Traffic

/// Container pids (X-Worker-Pid, access logs) mapped to the host pids stacktop watches, per
/// component: in a pod, the front's and the app's containers each have their own pid 1, 6, 7.
final class ContainerPidMapTests: XCTestCase {
    /// A pod as its `spawned` events describe it (host pid, pid in its container).
    static func pod() -> ContainerPidMap {
        var map = ContainerPidMap()
        for (component, inner, host) in [
            ("app", 1, 351), ("app", 6, 378), ("app", 7, 384),
            ("front", 1, 401), ("front", 6, 411),
        ] as [(String, Int32, Int32)] {
            map.record(component: component, inner: inner, host: host)
        }
        return map
    }

    func testEachComponentHasItsOwnPidNamespace() {
        let map = Self.pod()
        let cases: [(Int32, String, Int32?)] = [
            (6, "app", 378), (7, "app", 384), (1, "app", 351),
            (6, "front", 411), (1, "front", 401),
            (7, "front", nil),  // the front's container has no pid 7
            (6, "other", nil),
        ]
        for (inner, component, host) in cases {
            XCTAssertEqual(map.hostPid(of: inner, in: component), host, "\(component) \(inner)")
        }
        XCTAssertEqual(map.hostPid(of: 6, among: ["app"]), 378, "not the front's pid 6")
        XCTAssertEqual(map.hostPid(of: 9, among: ["app"]), 9, "unknown: left as it is")
        XCTAssertEqual(map.hostPid(of: 6, among: []), 6)
    }

    func testAReplacementWithTheSameContainerPidTakesItsPlace() {
        var map = Self.pod()
        map.record(component: "app", inner: 6, host: 920)
        XCTAssertEqual(map.hostPid(of: 6, in: "app"), 920)
        XCTAssertEqual(map.hostPid(of: 7, in: "app"), 384)
    }

    func testALogsPidsAreTheAppServersItReaches() throws {
        let yaml = """
            description: x
            components:
              front:
                server: nginx
                upstream: [app, other]
              app:
                server: gunicorn
              other:
                server: waitress
            """
        let t = try TopologyLoader.load(text: yaml, path: "t.yaml", demoAppDirectory: "/demo")
        XCTAssertEqual(ContainerPidMap.appServers(loggedBy: "app", in: t), ["app"])
        XCTAssertEqual(ContainerPidMap.appServers(loggedBy: "other", in: t), ["other"])
        XCTAssertEqual(ContainerPidMap.appServers(loggedBy: "front", in: t), ["app", "other"])
        XCTAssertEqual(
            ContainerPidMap.appServers(loggedBy: "nobody", in: t), ["app", "other"], "unknown: every app server")
    }

    /// nginx logs the app's X-Worker-Pid, gunicorn its own pid: both are the app container's
    /// pids and both count under the host pid once translated.
    func testAccessLogCountsAreKeyedByHostPid() {
        let map = Self.pod()
        let translate = { (pid: Int32) in map.hostPid(of: pid, among: ["app"]) }
        var front = AccessLogStats(startNanos: 0)
        var app = AccessLogStats(startNanos: 0)
        for pid in [6, 6, 7] {
            var line =
                #"msec=1795656462.615 status=200 request_time=0.007 nginx_pid=6 upstream_time="0.008" upstream_status="200" upstream_addr="unix:/r/app.sock" worker_pid="\#(pid)" request="GET / HTTP/1.1""#
            line.withUTF8 { front.record(line: $0, translatePid: translate) }
            var own =
                #"time=[05/Dec/2026:07:07:31 +0000] status=200 request_time_us=507 worker_pid=<\#(pid)> request="GET / HTTP/1.0""#
            own.withUTF8 { app.record(line: $0, translatePid: translate) }
        }
        XCTAssertEqual(front.cumulative(now: 1).byWorker, [378: 2, 384: 1])
        XCTAssertEqual(app.cumulative(now: 1).byWorker, [378: 2, 384: 1])
        var plain = AccessLogStats(startNanos: 0)
        plain.record(
            line:
                #"time=[05/Dec/2026:07:07:31 +0000] status=200 request_time_us=507 worker_pid=<6> request="GET / HTTP/1.0""#
        )
        XCTAssertEqual(plain.cumulative(now: 1).byWorker, [6: 1], "no translation: the pid as logged")
    }
}
