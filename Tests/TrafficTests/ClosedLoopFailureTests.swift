import Foundation
import StackModel
import Supervision
import TestSupport
import Traffic
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The closed loop (plain epoll threads, `ClosedLoopThread`) against servers that refuse, cut a
/// response short, never answer, or send what nginx never sends: each outcome counted as what it
/// was, and nothing left behind: every socket and epoll fd closed, every load thread ended.
final class ClosedLoopFailureTests: XCTestCase {
    func testRefusedPortIsCountedAndRetriedEvery10ms() async throws {
        let port = try XCTUnwrap(Loopback.closedPort())
        try await assertLeavesNothing("refused") {
            let r = try await ClosedLoopLoad.run(
                url: "http://127.0.0.1:\(port)", connections: 3, threads: 2, duration: .milliseconds(200))
            XCTAssertEqual(r.responses, 0)
            XCTAssertEqual(r.byStatus, [:])
            XCTAssertEqual(Array(r.byError.keys), [.refused])
            // One try at the start, then one every 10 ms per connection until the deadline.
            XCTAssertGreaterThanOrEqual(r.byError[.refused] ?? 0, 3 * 5)
            XCTAssertLessThanOrEqual(r.byError[.refused] ?? 0, 3 * 21)
            XCTAssertLessThan(r.seconds, 1)
        }
    }

    func testSilentServerEndsTheRunInTimeouts() async throws {
        let server = try CannedServer(reply: "", closeAfterReply: false)
        defer { server.stop() }
        try await assertLeavesNothing("silent server") {
            let r = try await ClosedLoopLoad.run(
                url: server.url, connections: 3, threads: 2, duration: .milliseconds(200),
                timeout: .milliseconds(300))
            XCTAssertEqual(r.byError, [.timeout: 3])
            XCTAssertEqual(r.responses, 0)
            XCTAssertGreaterThanOrEqual(r.seconds, 0.5)  // the deadline, then the timeout
            XCTAssertLessThan(r.seconds, 2)
            XCTAssertEqual(server.connections, 3)
        }
    }

    func testServerClosingMidResponseCountsResetsAndReconnects() async throws {
        let server = try CannedServer(
            reply: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", closeAfterReply: true)
        defer { server.stop() }
        try await assertLeavesNothing("cut short") {
            let r = try await ClosedLoopLoad.run(
                url: server.url, connections: 2, threads: 1, duration: .milliseconds(300))
            XCTAssertEqual(r.responses, 0)
            XCTAssertEqual(Array(r.byError.keys), [.reset])
            let resets = r.byError[.reset] ?? 0
            XCTAssertGreaterThan(resets, 3)
            // Each connection carried one request, cut short; a connect under way at the
            // deadline is dropped before its request.
            XCTAssertLessThanOrEqual(resets, server.connections)
            XCTAssertGreaterThanOrEqual(resets, server.connections - 2)
        }
    }

    /// Every canned reply of `ResponseHandlingTests` (chunked, until close, 1xx, HTTP/1.0,
    /// malformed, cut short), written in 7-byte pieces: the status or the error kind, and
    /// keep-alive decides whether the two connections are reused.
    func testEveryCannedOutcome() async throws {
        for c in ResponseHandlingTests.cases {
            let server = try CannedServer(reply: c.reply, closeAfterReply: c.serverCloses)
            defer { server.stop() }
            try await assertLeavesNothing(c.name) {
                let r = try await ClosedLoopLoad.run(
                    url: server.url, connections: 2, threads: 1, duration: .milliseconds(250))
                switch c.expect {
                case .status(let status, _):
                    XCTAssertGreaterThan(r.responses, 3, c.name)
                    XCTAssertEqual(r.byStatus, [status: r.responses], c.name)
                    XCTAssertEqual(r.byError, [:], c.name)
                case .error(let kind):
                    XCTAssertEqual(r.responses, 0, c.name)
                    XCTAssertEqual(Array(r.byError.keys), [kind], c.name)
                    XCTAssertGreaterThan(r.byError[kind] ?? 0, 3, c.name)
                }
                if c.reused {
                    XCTAssertEqual(server.connections, 2, c.name)
                } else {
                    XCTAssertGreaterThan(server.connections, 3, c.name)
                }
            }
        }
    }

    /// A request far longer than a socket takes at once (a 300 KB path) is sent in pieces as
    /// the socket drains, and answered.
    func testLongRequestIsSentInPieces() async throws {
        let server = try CannedServer(
            reply: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", closeAfterReply: false, pieceSize: 64)
        defer { server.stop() }
        let path = "/" + String(repeating: "a", count: 300_000)
        try await assertLeavesNothing("long request") {
            let r = try await ClosedLoopLoad.run(
                url: server.url, mix: [WeightedPath(path: path, weight: 1)], connections: 1, threads: 1,
                duration: .milliseconds(300))
            XCTAssertGreaterThan(r.responses, 0)
            XCTAssertEqual(r.byStatus, [200: r.responses])
            XCTAssertEqual(r.byError, [:])
            XCTAssertEqual(server.connections, 1)
        }
    }

    // MARK: what is left behind

    /// Runs `body`, then waits up to 2 s for every socket and epoll fd opened while it ran to be
    /// closed (ours, and the test server's side of our connections, which it closes when ours
    /// close) and for every load thread to end.
    private func assertLeavesNothing(_ what: String, _ body: () async throws -> Void) async rethrows {
        let before = Self.socketsAndPolls()
        try await body()
        var left = Self.socketsAndPolls().subtracting(before)
        var threads = Self.loadThreads()
        for _ in 0..<200 where !left.isEmpty || threads > 0 {
            usleep(10_000)
            left = Self.socketsAndPolls().subtracting(before)
            threads = Self.loadThreads()
        }
        XCTAssertEqual(left, [], "\(what): fds opened by the run are still open")
        XCTAssertEqual(threads, 0, "\(what): load threads still running")
    }

    /// This process's open sockets and epoll instances: `fd -> socket:[inode]` and the like.
    static func socketsAndPolls() -> Set<String> {
        let dir = "/proc/self/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return Set(
            names.compactMap { name -> String? in
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/\(name)"),
                    target.hasPrefix("socket:") || target.hasPrefix("anon_inode:[eventpoll]")
                else { return nil }
                return "\(name) -> \(target)"
            })
    }

    /// Threads of this process named as the closed loop names its threads.
    static func loadThreads() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            return comm?.hasPrefix("stacktop-load") == true
        }.count
    }
}
