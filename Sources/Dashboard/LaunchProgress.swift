import Supervision

/// How far the stack's launch got, from the launcher's events: which components are starting,
/// which passed their readiness check, whether the launch failed and whether the stack stopped.
public struct LaunchProgress: Sendable, Equatable {
    /// Where one component is in the launch.
    public enum Phase: Sendable, Equatable {
        /// Not started yet (it comes later in the start order).
        case waiting
        /// Started, readiness check not passed yet.
        case starting
        /// Passed its readiness check after this many ms.
        case ready(afterMs: Int)
    }

    /// The `stack` event arrived: a launch is under way or done.
    public private(set) var began = false
    public private(set) var phases: [String: Phase] = [:]
    /// The launch's error message, when it failed before every component was ready.
    public private(set) var failure: String?
    /// The `stopped` event arrived.
    public private(set) var stopped = false
    /// While a container image is being built: its step ("base" or "image"); nil once a component starts.
    public private(set) var building: String?

    public init() {}

    /// The phase of `component` (`waiting` when no event named it yet).
    public func phase(of component: String) -> Phase { phases[component] ?? .waiting }

    /// Components that passed their readiness check.
    public var readyCount: Int {
        phases.values.filter { if case .ready = $0 { return true } else { return false } }.count
    }

    /// Records the launch's failure (the caller knows the launch was still under way).
    public mutating func fail(_ message: String) {
        if failure == nil && !stopped { failure = message }
    }

    /// Updates the progress with one event (events that are not about the launch change nothing).
    public mutating func absorb(_ event: StackEvent) {
        switch event.kind {
        case .stack:
            // STACK -> launching (a new launch starts from scratch)
            self = LaunchProgress()
            began = true
        case let .building(step, _):
            // LAUNCHING -> BUILDING (a container image, before anything starts)
            building = step
        case .starting:
            // WAITING -> STARTING
            building = nil
            if let name = event.component { phases[name] = .starting }
        case let .ready(afterMs, _):
            // STARTING -> READY
            if let name = event.component { phases[name] = .ready(afterMs: afterMs) }
        case .stopped, .detached:
            stopped = true
        default:
            break
        }
    }
}
