import Foundation
import Traffic
#if canImport(Glibc)
    import Glibc
#endif
import TestSupport

/// A private nginx serving one static file on a 127.0.0.1 test port, with stacktop's access log
/// format; started by the test, killed by it (never by name).
final class NginxFixture {
    let dir: URL
    let port: Int
    let process = Process()
    var accessLog: URL { dir.appendingPathComponent("access.log") }
    var url: String { "http://127.0.0.1:\(port)" }

    init(port: Int, workers: Int = 1, accessLog: Bool = true) throws {
        self.port = port
        dir = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("stacktop-traffic-nginx-\(port)-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        chmod(dir.path, 0o755)  // nginx workers run as nobody
        try String(repeating: "stacktop static file\n", count: 64)
            .write(to: dir.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let log =
            accessLog
            ? #"log_format stacktop 'msec=$msec status=$status request_time=$request_time nginx_pid=$pid upstream_time="$upstream_response_time" upstream_status="$upstream_status" upstream_addr="$upstream_addr" worker_pid="$upstream_http_x_worker_pid" request="$request"'; access_log access.log stacktop;"#
            : "access_log off;"
        let conf = """
            worker_processes \(workers); pid nginx.pid; error_log error.log notice;
            events { worker_connections 1024; }
            http {
              client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
              uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
              \(log)
              keepalive_requests 100000;
              server { listen 127.0.0.1:\(port); root \(dir.path); location / { index index.html; } }
            }
            """
        try conf.write(to: dir.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", dir.path + "/", "-c", "nginx.conf", "-g", "daemon off;"]
        try process.run()
        let deadline = Date().addingTimeInterval(5)
        while !Self.portOpen(port) {
            guard Date() < deadline, process.isRunning else { stop(); throw FixtureError.notReady(port) }
            usleep(10_000)
        }
        // The master binds before it forks its workers: ready means the workers are there too.
        while workerPids.count < workers {
            guard Date() < deadline, process.isRunning else { stop(); throw FixtureError.notReady(port) }
            usleep(10_000)
        }
    }

    /// Pids of the master's children (the worker processes).
    var workerPids: [pid_t] {
        let path = "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Lines in the access log now.
    func accessLogLines() -> [String] {
        let text = (try? String(contentsOf: accessLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    func stop() {
        let workers = workerPids
        if process.isRunning {
            for w in workers { kill(w, SIGCONT) }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        for w in workers where kill(w, 0) == 0 { kill(w, SIGKILL) }
        try? FileManager.default.removeItem(at: dir)
    }

    static func portOpen(_ port: Int) -> Bool {
        Loopback.isOpen(port)
    }

    enum FixtureError: Error { case notReady(Int) }
}

/// Collects samples from the generator's thread.
final class SampleBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [LoadSample] = []

    func add(_ s: LoadSample) { lock.lock(); items.append(s); lock.unlock() }
    var all: [LoadSample] { lock.lock(); defer { lock.unlock() }; return items }
    var count: Int { lock.lock(); defer { lock.unlock() }; return items.count }

    /// Waits until `n` samples arrived or `seconds` passed; returns the count.
    func wait(for n: Int, seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while count < n && Date() < deadline { usleep(5_000) }
        return count
    }
}
