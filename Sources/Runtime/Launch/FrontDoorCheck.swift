import StackModel
import StackRecipes

/// The last step of a launch: one request through the front door must be answered below 500.
///
/// Each component's own readiness check can pass while the app is broken: a gunicorn or uWSGI
/// master binds its unix socket before any worker has imported the app, nginx answers its
/// status page without asking the upstream, supervisord restarts a crashing program. Without
/// this step `up` would report such a stack ready and then watch it crash-loop (or 502).
public struct FrontDoorCheck: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The topology's health path (`app.health`, default `/`).
    public var path: String
    /// The app-server components whose logs explain a failure, in start order.
    public var appComponents: [String]

    public var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)" }

    /// The check for `plan`, or nil when no component of the plan listens on the front door's
    /// port (hand-built plans whose front door URL is only a label).
    public init?(plan: Plan) {
        guard let colon = plan.frontDoorURL.lastIndex(of: ":"),
            let port = Int(plan.frontDoorURL[plan.frontDoorURL.index(after: colon)...].prefix { $0.isNumber })
        else { return nil }
        let host = plan.processes.lazy.compactMap { spec -> String? in
            switch spec.readiness {
            case let .http(h, p, _) where p == port, let .tcp(h, p) where p == port: return h
            default: return nil
            }
        }.first
        guard let host else { return nil }
        self.host = host
        self.port = port
        self.path = plan.healthPath
        appComponents = plan.processes.filter { $0.kind.role == .app }.map(\.component)
    }

    /// What one request through the front door shows.
    public func check(_ probe: ReadinessProbe) -> ReadinessProbe.Result {
        probe.check(.http(host: host, port: port, path: path))
    }
}
