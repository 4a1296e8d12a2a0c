import Glibc
import StackModel
import StackRecipes

/// One hop of a running stack stacktop probes at a low rate, and how to probe it once.
///
/// The front door is asked for the plan's health path over HTTP (any answer below 500 is
/// healthy, a 5xx unhealthy); each app server's own socket (unix or TCP, from its readiness) is connect-probed;
/// status endpoints (nginx stub_status, uWSGI stats, supervisord's socket) are asked whether they answer.
public struct HopProbe: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case http(host: String, port: Int, path: String)
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    /// The hop's name in `health` events ("front door", "app socket", "front status").
    public var hop: String
    public var component: String
    public var target: Target

    public init(hop: String, component: String, target: Target) {
        self.hop = hop
        self.component = component
        self.target = target
    }

    /// The hops of `plan`: the front door (asked for the plan's health path), each other
    /// component's own socket, and each status endpoint.
    /// With `httpFrontDoor` false (an attached deploy, whose access log must show only its own
    /// clients' requests) the front door is only connect-probed.
    public static func hops(of plan: Plan, httpFrontDoor: Bool = true) -> [HopProbe] {
        var hops: [HopProbe] = []
        let frontPort = frontDoorPort(plan.frontDoorURL)
        let front = plan.processes.first { spec in
            guard spec.kind.canBeFrontDoor else { return false }
            switch spec.readiness {
            case let .http(_, port, _), let .tcp(_, port): return port == frontPort
            case .unixSocket, .withParent: return false
            }
        }
        if let front, let frontPort {
            hops.append(
                HopProbe(
                    hop: "front door", component: front.component,
                    target: httpFrontDoor
                        ? .http(host: "127.0.0.1", port: frontPort, path: plan.healthPath)
                        : .tcp(host: "127.0.0.1", port: frontPort)))
        }
        for spec in plan.processes where spec.component != front?.component && spec.kind != .supervisord {
            switch spec.readiness {
            case let .unixSocket(path):
                hops.append(
                    HopProbe(hop: "\(spec.component) socket", component: spec.component, target: .unix(path: path)))
            case let .tcp(host, port), let .http(host, port, _):
                // Hosted components answer through the front door: that probe covers them.
                guard port != frontPort else { continue }
                hops.append(
                    HopProbe(
                        hop: "\(spec.component) socket", component: spec.component,
                        target: .tcp(host: host, port: port)))
            case .withParent:
                continue
            }
        }
        for spec in plan.processes {
            switch spec.status {
            case let .nginxStubStatus(host, port, path)?:
                hops.append(
                    HopProbe(
                        hop: "\(spec.component) status", component: spec.component,
                        target: .http(host: host, port: port, path: path)))
            case let .uwsgiStats(socket)?, let .supervisor(socket, _)?:
                hops.append(
                    HopProbe(hop: "\(spec.component) status", component: spec.component, target: .unix(path: socket)))
            case nil:
                continue
            }
        }
        return hops
    }

    /// Probes once: whether the hop answers, and what was seen ("200 in 3 ms", "connect: refused").
    public func probe(client: LoopbackClient) -> (answering: Bool, detail: String) {
        let clock = Stopwatch()
        switch target {
        case let .http(host, port, path):
            guard let response = client.get(host: host, port: port, path: path) else {
                return (
                    false,
                    clock.elapsedMs >= client.timeoutMs
                        ? "no answer within \(client.timeoutMs) ms"
                        : "no HTTP answer on \(host):\(port)"
                )
            }
            return Self.judge(status: response.status, tookMs: clock.elapsedMs)
        case let .tcp(host, port):
            guard let fd = client.connectTCP(host: host, port: port) else {
                return (false, "connect \(host):\(port) failed")
            }
            close(fd)
            return (true, "connected in \(clock.elapsedMs) ms")
        case let .unix(path):
            guard let fd = client.connectUnix(path: path) else {
                return (false, "connect \((path as String).split(separator: "/").last.map(String.init) ?? path) failed")
            }
            close(fd)
            return (true, "connected in \(clock.elapsedMs) ms")
        }
    }

    /// An HTTP answer to the health path: below 500 is healthy (a 404 too: the app answers),
    /// a 5xx is not — the app failed, or the front server could not reach it (502, 504).
    static func judge(status: Int, tookMs: Int) -> (answering: Bool, detail: String) {
        let took = "\(status) in \(tookMs) ms"
        switch status {
        case ..<500: return (true, took)
        case 502, 504: return (false, took + " (5xx: unhealthy; the front server's upstream is not answering)")
        default: return (false, took + " (5xx: unhealthy)")
        }
    }

    private static func frontDoorPort(_ url: String) -> Int? {
        guard let last = url.split(separator: ":").last else { return nil }
        return Int(last.prefix { $0.isNumber })
    }
}
