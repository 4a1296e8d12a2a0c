import StackModel
import StackRecipes

/// Resolves slow-request-timeout: one request longer than the app server's own timeout.
extension DrillPlanner {
    /// How far past the app server's timeout the slow request runs (ms).
    static let slowMarginMs = 5_000
    /// How much longer than the slow request the client waits for its answer (ms).
    static let slowClientSlackMs = 10_000

    func slowRequest(door: Component) -> Result<DrillPlan, DrillRefusal> {
        guard topology.app.isDemo else {
            return refuse("needs the demo app's /slow route, and \(topology.name) serves \(topology.app.module)")
        }
        let c: Component
        switch target(default: appServer(door)) {
        case let .success(found): c = found
        case let .failure(refusal): return .failure(refusal)
        }
        guard c.kind.role == .app else { return refuse("'\(c.name)' is \(c.kind.rawValue), not an app server") }
        let seconds: Int
        let how: String
        switch RequestTimeouts.appServer(c) {
        case let .none(why): return refuse("no timeout to hit: \(why)")
        case let .seconds(s, text): (seconds, how) = (s, text)
        }
        let ms = seconds * 1000 + Self.slowMarginMs
        guard ms <= 60_000 else {
            return refuse("the demo app's /slow sleeps at most 60 s, and \(c.name)'s timeout is \(seconds) s")
        }
        var detail = "GET /slow?ms=\(ms) through \(door.name), \(Self.slowMarginMs / 1000) s past \(how)"
        if door.kind == .nginx && door.name != c.name {
            detail +=
                "; nginx's read timeout (\(RequestTimeouts.nginxReadSeconds) s, its default) is longer, so \(c.kind.rawValue) cuts it first"
        }
        return .success(
            DrillPlan(
                scenario: scenario, topology: topology.name, component: c.name, role: nil, slots: [],
                step: .slowRequest(path: "/slow?ms=\(ms)", clientTimeoutMs: ms + Self.slowClientSlackMs),
                watched: [c.name], frontDoor: door.name, detail: detail))
    }
}
