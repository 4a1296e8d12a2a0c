import XCTest
import Traffic
import Supervision

/// Both generators against canned responses nginx never sends (chunked, body until close, 1xx,
/// malformed, cut short), each written in 7-byte pieces: every request ends exactly once, with
/// the status and worker pid, or the error kind, and keep-alive decides the connection count.
final class ResponseHandlingTests: XCTestCase {
    enum Expect: Equatable {
        case status(Int, pid: Int32?)
        case error(LoadErrorKind)
    }

    /// Name, reply, whether the server closes after it, what each request gets, and whether
    /// one connection carries them all (else one connection per request).
    static let cases: [(name: String, reply: String, serverCloses: Bool, expect: Expect, reused: Bool)] = [
        (
            "chunked keep-alive",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Worker-Pid: 4321\r\n\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\n\r\n",
            false, .status(200, pid: 4321), true
        ),
        (
            "body until close", "HTTP/1.1 200 OK\r\nx-worker-pid: 77\r\n\r\nthe body runs until the server closes",
            true, .status(200, pid: 77), false
        ),
        (
            "length and Connection: close", "HTTP/1.1 503 Busy\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno",
            true, .status(503, pid: nil), false
        ),
        (
            "HTTP/1.0 closes by default", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", false,
            .status(200, pid: nil), false
        ),
        (
            "100 then 204", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n",
            false, .status(204, pid: nil), true
        ),
        ("malformed status line", "HTTP/1.1 20x OK\r\nContent-Length: 0\r\n\r\n", false, .error(.other), false),
        ("cut short by the close", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", true, .error(.reset), false),
    ]

    func testOpenLoopGetsEveryOutcomeOnce() async throws {
        for (i, c) in Self.cases.enumerated() {
            let server = try CannedServer(port: 19261 + i, reply: c.reply, closeAfterReply: c.serverCloses)
            defer { server.stop() }
            let box = SampleBox()
            let gen = try LoadGenerator(url: server.url) { box.add($0) }
            let n = 20
            gen.start(rate: 50, requests: n)
            XCTAssertEqual(box.wait(for: n, seconds: 10), n, c.name)
            try await Task.sleep(nanoseconds: 100_000_000)  // any extra sample would show up now
            await gen.stop()
            let got = box.all.map { s -> Expect in
                if let e = s.errorKind { return .error(e) }
                return .status(s.status ?? -1, pid: s.workerPid)
            }
            XCTAssertEqual(got, Array(repeating: c.expect, count: n), c.name)
            if c.reused {
                XCTAssertLessThanOrEqual(server.connections, 3, "\(c.name): keep-alive reuses the connection")
            } else {
                XCTAssertEqual(server.connections, n, "\(c.name): one connection per request")
            }
        }
    }

    /// The closed loop reconnects after each close-delimited response and counts every one.
    func testClosedLoopCountsResponsesThatEndAtTheClose() async throws {
        for (i, c) in Self.cases.enumerated() where c.name == "body until close" || c.name == "chunked keep-alive" {
            let server = try CannedServer(port: 19271 + i, reply: c.reply, closeAfterReply: c.serverCloses)
            defer { server.stop() }
            let result = try await ClosedLoopLoad.run(
                url: server.url, connections: 2, threads: 1, duration: .milliseconds(300))
            XCTAssertGreaterThan(result.responses, 5, c.name)
            XCTAssertEqual(result.byStatus, [200: result.responses], c.name)
            XCTAssertEqual(result.byError, [:], c.name)
            if c.serverCloses {
                XCTAssertGreaterThanOrEqual(server.connections, result.responses, c.name)
            } else {
                XCTAssertEqual(server.connections, 2, c.name)
            }
        }
    }
}
