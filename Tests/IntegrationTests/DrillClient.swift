import Foundation
import Glibc
import Synchronization
import Runtime
import TestSupport

/// The drill tests' own client: plain blocking socket requests (`GET /`, a fresh connection
/// each, `Connection: close`) on a fixed schedule, each on its own thread, so a stalled stack
/// shows as timeouts (5 s, counted from the request's start) rather than as fewer requests,
/// like stacktop's open-loop generator; it counts its own failures by kind and time and shares
/// no code with the generator.
final class DrillClient: Sendable {
    /// One request as this client saw it; times are ms on the client's own Stopwatch.
    struct Request: Sendable {
        var startMs: Int
        var endMs: Int
        var status: Int?
        /// refused | reset | timeout | other, when no status line came.
        var error: String?
        var workerPid: Int32?
        /// `X-App-Version` of the answer (the demo app's version).
        var appVersion: Int?

        /// 5xx or no answer.
        var failed: Bool { error != nil || (status ?? 0) >= 500 }
        var kind: String? { error ?? status.flatMap { $0 >= 500 ? String($0) : nil } }
    }

    let port: Int
    let clock = Stopwatch()
    private let intervalMs: Int
    private let stopFlag = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let log = Mutex<[Request]>([])
    private let inFlight = Atomic<Int>(0)

    /// Starts sending to 127.0.0.1:`port` at about `rate` requests per second.
    init(port: Int, rate: Int = 10) {
        self.port = port
        intervalMs = max(1, 1000 / max(1, rate))
        Thread.detachNewThread { [self] in
            var next = clock.elapsedMs
            while !stopFlag.load(ordering: .relaxed) {
                inFlight.add(1, ordering: .relaxed)
                Thread.detachNewThread { [self] in
                    let r = once()
                    log.withLock { $0.append(r) }
                    inFlight.subtract(1, ordering: .relaxed)
                }
                next += intervalMs
                Stopwatch.sleep(ms: next - clock.elapsedMs)
            }
            done.signal()
        }
    }

    /// Stops scheduling, waits for the requests in flight (at most their 5 s timeout) and
    /// returns every request in the order they ended.
    func stop() -> [Request] {
        stopFlag.store(true, ordering: .relaxed)
        done.wait()
        let waited = Stopwatch()
        while inFlight.load(ordering: .relaxed) > 0 && waited.elapsedMs < 6_000 { Stopwatch.sleep(ms: 10) }
        return requests.sorted { $0.endMs < $1.endMs }
    }

    var requests: [Request] { log.withLock { $0 } }

    /// One request, with a 5 s receive timeout (the generator's request timeout).
    private func once() -> Request {
        let start = clock.elapsedMs
        func ended(_ status: Int?, _ error: String?, _ pid: Int32? = nil, _ version: Int? = nil) -> Request {
            Request(
                startMs: start, endMs: clock.elapsedMs, status: status, error: error, workerPid: pid,
                appVersion: version)
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return ended(nil, "other") }
        defer { close(fd) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if Loopback.connect(fd, port: port) != 0 { return ended(nil, errno == ECONNREFUSED ? "refused" : "other") }
        let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { bytes += buffer[0..<n]; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            let kind = (errno == EAGAIN || errno == EWOULDBLOCK) ? "timeout" : (errno == ECONNRESET ? "reset" : "other")
            return ended(nil, kind)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n").first, statusLine.hasPrefix("HTTP/"),
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else {
            return ended(nil, bytes.isEmpty ? "reset" : "other")
        }
        func header(_ name: String) -> String? {
            text.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name + ":") }
                .map { $0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "" }
        }
        return ended(
            status, nil, header("x-worker-pid").flatMap { Int32($0) }, header("x-app-version").flatMap { Int($0) })
    }
}
