import Glibc
import StackRecipes

/// Checks a component's `Readiness` once, and pokes a server that needs a request to notice a signal.
public struct ReadinessProbe: Sendable {
    public var client: LoopbackClient

    public init(client: LoopbackClient = LoopbackClient(timeoutMs: 500)) { self.client = client }

    /// What one check saw.
    public enum Result: Sendable, Equatable {
        case ready
        /// Not ready yet; `detail` says what the probe saw (for the timeout message).
        case notReady(detail: String)
    }

    /// Runs the check once. `.withParent` is always ready: its parent's readiness covers it.
    public func check(_ readiness: Readiness) -> Result {
        switch readiness {
        case let .http(host, port, path):
            guard let response = client.get(host: host, port: port, path: path) else {
                return .notReady(detail: "no HTTP answer on \(host):\(port)")
            }
            return response.status < 500
                ? .ready : .notReady(detail: "HTTP \(response.status) from \(host):\(port)\(path)")
        case let .tcp(host, port):
            guard let fd = client.connectTCP(host: host, port: port) else {
                return .notReady(detail: "nothing listening on \(host):\(port)")
            }
            close(fd)
            return .ready
        case let .unixSocket(path):
            guard let fd = client.connectUnix(path: path) else {
                return .notReady(detail: "cannot connect to \(path)")
            }
            close(fd)
            return .ready
        case .withParent:
            return .ready
        }
    }

    /// Wakes a server blocked in accept/select so it notices a stop signal: an HTTP request
    /// when it speaks HTTP, else a connection that is closed at once.
    public func poke(_ readiness: Readiness) {
        switch readiness {
        case let .http(host, port, path):
            _ = client.get(host: host, port: port, path: path)
        case let .tcp(host, port):
            if let fd = client.connectTCP(host: host, port: port) { close(fd) }
        case let .unixSocket(path):
            if let fd = client.connectUnix(path: path) { close(fd) }
        case .withParent:
            break
        }
    }
}
