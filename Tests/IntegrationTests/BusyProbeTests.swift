import Foundation
import Glibc
import XCTest
import Runtime
import TestSupport

/// Busy or idle from the kernel alone: a request held half-sent keeps exactly one worker busy
/// (gunicorn's sync worker waits for the rest of it), on a TCP port and on a unix socket.
final class BusyProbeTests: XCTestCase {
    private var deploy: HandDeploy!
    override func setUp() { deploy = HandDeploy() }
    override func tearDown() { deploy.tearDown() }

    func testHalfSentRequestMakesOneWorkerBusyOnTCP() throws {
        let port = try deploy.gunicornAlone()
        XCTAssert(deploy.waitUntilServing(port: port))
        let probe = BusyProbe(unixPaths: [], tcpPorts: [port])
        try check(probe) { LoopbackClient().connectTCP(host: "127.0.0.1", port: port) }
    }

    func testHalfSentRequestMakesOneWorkerBusyOnAUnixSocket() throws {
        let port = try deploy.nginxGunicornUnderSupervisord()
        XCTAssert(deploy.waitUntilServing(port: port))
        let socket = deploy.dir + "/gunicorn.sock"
        let probe = BusyProbe(unixPaths: [socket], tcpPorts: [])
        try check(probe) { LoopbackClient().connectUnix(path: socket) }
    }

    /// The gunicorn workers: children of the process holding the listening socket.
    private func gunicornWorkers() -> [Int32] {
        let all = LinuxProcessTable().liveMembers(ofSessions: deploy.sessions)
        let table = LinuxProcessTable()
        // `gunicorn --bind …`, or `gunicorn: master [app:app]` once setproctitle retitled it.
        let gunicorns = all.filter { line in
            let text = table.commandLine(of: line.pid) ?? ""
            return text.contains("gunicorn --bind") || text.hasPrefix("gunicorn: ")
        }
        let pids = Set(gunicorns.map(\.pid))
        return gunicorns.filter { pids.contains($0.ppid) }.map(\.pid)
    }

    private func check(_ probe: BusyProbe, connect: () -> Int32?) throws {
        XCTAssert(TestProject.eventually(timeoutMs: 10_000) { gunicornWorkers().count == 2 })
        let workers = gunicornWorkers()
        // The readiness check's own request may still hold a worker for a moment on a loaded machine.
        XCTAssert(
            TestProject.eventually(timeoutMs: 5_000) { probe.busy(workers).isEmpty },
            "no request yet: both idle, not \(probe.busy(workers))")
        let fd = try XCTUnwrap(connect())
        let head = Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)  // no blank line: the worker waits
        XCTAssertEqual(head.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, head.count)
        XCTAssert(
            TestProject.eventually(timeoutMs: 5_000) { probe.busy(workers).count == 1 },
            "one worker should hold the half-sent request: \(probe.busy(workers))")
        let busy = try XCTUnwrap(probe.busy(workers).first)
        XCTAssert(workers.contains(busy))
        close(fd)
        XCTAssert(
            TestProject.eventually(timeoutMs: 5_000) { probe.busy(workers).isEmpty }, "idle again after the close")
    }
}
