import Runtime
import StackModel
import StackRecipes
import Supervision
import Traffic

/// The request flow of one live stack: the load generator aimed at its front door with the
/// topology's mix, and every access log the recipes configured, followed from its first line;
/// reported as a `traffic` event once a second and as totals right before `stopped`.
///
/// Thread-safe; `LiveStack` owns one from launch to stop. The dashboard drives the load with
/// `startLoad`/`setRate`/`pause`/`resume` and reads `load`, `latest()` and `totals()`, or takes
/// the `traffic` events from its sink (same figures, `StackEvent.Traffic`).
public final class TrafficSession: Sendable {
    public let monitor: FlowMonitor
    /// The topology's traffic: its mix is what the generator sends, its rate the default.
    public let spec: TrafficSpec
    private let clock: Stopwatch
    private let sink: EventSink

    /// A session for `stack`, whose front door's probe path (`/health` of the demo app) is
    /// counted as stacktop's probe, not as traffic. Nothing runs before `start`.
    /// With `fromEnd` (an attached deploy) the access logs are followed from their end: only
    /// requests from now on are counted, no history is replayed.
    public init(
        stack: RunningStack, topology: Topology, probePath: String, events: @escaping EventSink,
        tickMs: Int = 1000, fromEnd: Bool = false
    ) {
        spec = topology.traffic
        clock = stack.clock
        sink = events
        let probes = ProbeFilter(paths: probePath == "/" ? [] : [probePath], prefixes: [ProbeFilter.privatePrefix])
        let url = stack.url.hasSuffix("/") ? String(stack.url.dropLast()) : stack.url
        let clock = stack.clock
        monitor = FlowMonitor(
            url: url, mix: topology.traffic.mix,
            logs: Self.logSources(
                plan: stack.plan, frontDoor: topology.frontDoor?.name,
                runDir: stack.runDir, fromEnd: fromEnd),
            probes: probes, tickMs: tickMs
        ) { figures in
            events(StackEvent(tMs: clock.elapsedMs, .traffic(Self.traffic(figures))))
        }
    }

    /// The access logs of `plan`'s components (paths absolute), the front door's first.
    public static func logSources(plan: Plan, frontDoor: String?, runDir: String, fromEnd: Bool = false) -> [FlowMonitor
        .LogSource]
    {
        plan.processes.compactMap { spec in
            spec.accessLog.map {
                FlowMonitor.LogSource(
                    component: spec.component, server: spec.kind.rawValue,
                    path: $0.hasPrefix("/") ? $0 : runDir + "/" + $0, frontDoor: spec.component == frontDoor,
                    fromEnd: fromEnd)
            }
        }
    }

    /// Starts following the logs and reporting seconds.
    public func start() { monitor.start() }

    /// Starts the load at `rate` requests per second (default: the topology's rate); with
    /// `requests`, exactly that many are sent.
    public func startLoad(rate: Int? = nil, requests: Int? = nil) throws {
        try monitor.startLoad(rate: rate ?? spec.rate, requests: requests)
    }

    public func setRate(_ rate: Int) { monitor.setRate(rate) }
    /// Every request's sample from now on goes to `observer` too (see `FlowMonitor.setSampleObserver`).
    public func setSampleObserver(_ observer: (@Sendable (LoadSample) -> Void)?) { monitor.setSampleObserver(observer) }
    /// The app's `X-Worker-Pid` is the pid inside its container: map it to the host pid.
    public func setWorkerPidTranslation(_ translate: (@Sendable (Int32) -> Int32)?) {
        monitor.setWorkerPidTranslation(translate)
    }
    /// The servers in a container log their pids inside it: map them to host pids (per component).
    public func setLogPidTranslation(_ translate: (@Sendable (String, Int32) -> Int32)?) {
        monitor.setLogPidTranslation(translate)
    }
    public func pause() { monitor.pause() }
    public func resume() { monitor.resume() }

    /// Whether the load is on, its rate and limit.
    public var load: FlowFigures.Load { monitor.load }

    /// The last second reported.
    public func latest() -> FlowFigures? { monitor.latest() }

    /// The run so far.
    public func totals() -> FlowFigures { monitor.totals() }

    /// Stops the load, letting requests in flight finish (call before the servers are stopped).
    public func stopLoad() { monitor.stopLoad() }

    /// Stops everything and returns the final `traffic` event (the run's totals); call it after
    /// the servers stopped so their last log lines are counted.
    public func finish() -> StackEvent {
        let totals = monitor.finish()
        return StackEvent(tMs: clock.elapsedMs, .traffic(Self.traffic(totals)))
    }

    /// The event figures of `f`: its windows as they are, rounded to 3 decimals.
    public static func traffic(_ f: FlowFigures) -> StackEvent.Traffic {
        let g = f.generator
        let span = f.hops.first.map { $0.window.endNanos &- $0.window.startNanos } ?? (g.endNanos &- g.startNanos)
        return StackEvent.Traffic(
            final: f.cumulative, windowMs: Int(span / 1_000_000), load: f.load.on, rate: f.load.rate,
            requests: g.rounded(),
            logs: f.hops.map { hop in
                StackEvent.Traffic.Log(
                    component: hop.log.component, server: hop.log.server,
                    frontDoor: hop.log.frontDoor, window: hop.window.rounded())
            })
    }
}
