import StackRecipes
import Supervision

/// Receives the events of a launch as they happen.
public typealias EventSink = @Sendable (StackEvent) -> Void

/// One component of a launched stack: its spec and, when stacktop spawned it, its root process.
public struct LaunchedComponent: Sendable {
    public var spec: ProcessSpec
    /// The root process stacktop spawned, leader of its own session; nil when another
    /// component (supervisord, Apache, lighttpd) starts it.
    public var process: ChildProcess?
    /// Milliseconds from its start to passing its readiness check; nil until ready.
    public var readyAfterMs: Int?
    /// The container its root runs in (`container: true` stacks), removed when it stops.
    public var container: ContainerPlacement?

    public init(
        spec: ProcessSpec, process: ChildProcess?, readyAfterMs: Int? = nil,
        container: ContainerPlacement? = nil
    ) {
        self.spec = spec
        self.process = process
        self.readyAfterMs = readyAfterMs
        self.container = container
    }

    /// The session of its processes (the root's pid, since each root is started with setsid).
    public var session: Int32? { process?.pid }
}

/// A stack that passed its readiness checks: what runs, where, and how to stop it.
public struct RunningStack: Sendable {
    public var plan: Plan
    public var runDir: String
    /// In start order.
    public var components: [LaunchedComponent]
    /// The launch's clock: event times are milliseconds on it.
    public var clock: Stopwatch
    /// Launched by stacktop, or found running and attached to.
    public var origin: StackOrigin

    public init(
        plan: Plan, runDir: String, components: [LaunchedComponent], clock: Stopwatch,
        origin: StackOrigin = .launched
    ) {
        self.plan = plan
        self.runDir = runDir
        self.components = components
        self.clock = clock
        self.origin = origin
    }

    /// Every session the stack's processes live in.
    public var sessions: Set<Int32> { Set(components.compactMap(\.session)) }

    public var url: String { plan.frontDoorURL }

    /// The component named `name`.
    public func component(_ name: String) -> LaunchedComponent? {
        components.first { $0.spec.component == name }
    }

    /// `exited` events for spawned roots that have exited since the last call (`reported`
    /// remembers which were already told). Supervised and hosted components are their
    /// launcher's business and are not reported here.
    public func exitEvents(reported: inout Set<String>) -> [StackEvent] {
        components.compactMap { c in
            guard let process = c.process, !reported.contains(c.spec.component),
                let status = process.poll()
            else { return nil }
            reported.insert(c.spec.component)
            let kind: StackEvent.Kind
            switch status {
            case let .signaled(sig): kind = .exited(signal: sig, status: nil)
            case let .exited(code): kind = .exited(signal: nil, status: code)
            }
            return StackEvent(
                tMs: clock.elapsedMs, kind, component: c.spec.component, role: c.spec.roles.root,
                pid: process.pid)
        }
    }
}
