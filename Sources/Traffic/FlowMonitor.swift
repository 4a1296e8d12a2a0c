import Dispatch
import StackModel
import Synchronization

/// Measures the requests flowing through one stack: drives the load generator (on demand) and
/// follows the servers' access logs from their first line, and once a second hands out a
/// `FlowFigures` of that second.
///
/// Thread-safe: every method may be called from any thread. The ticker runs on its own thread
/// and calls `onSecond` there, never under a lock; `onSecond` may read the monitor and steer the
/// load but must not call `finish` (it waits for the ticker). `stopLoad` and `finish` block until
/// the generator has stopped: call them from a plain thread, not from a Swift concurrency task
/// (use `stopLoadAsync` there).
public final class FlowMonitor: Sendable {
    /// An access log to follow.
    public struct LogSource: Sendable, Equatable {
        public var component: String
        /// The server kind's name (`nginx`, `gunicorn`).
        public var server: String
        /// Absolute path of the log.
        public var path: String
        /// Whether this server is the stack's front door (its log sees every client request).
        public var frontDoor: Bool
        /// Follow it from its end (a deploy stacktop attached to: no history replayed).
        public var fromEnd: Bool

        public init(component: String, server: String, path: String, frontDoor: Bool, fromEnd: Bool = false) {
            self.component = component
            self.server = server
            self.path = path
            self.frontDoor = frontDoor
            self.fromEnd = fromEnd
        }
    }

    public let url: String
    public let mix: [WeightedPath]
    public let logs: [LogSource]
    public let settings: LoadSettings
    private let tickNanos: UInt64
    private let onSecond: @Sendable (FlowFigures) -> Void
    private let samples: Mutex<TrafficStats>
    /// Sees every sample as it is recorded (a drill's tracker); nil when nobody listens.
    private let sampleObserver = Mutex<(@Sendable (LoadSample) -> Void)?>(nil)
    /// Maps an `X-Worker-Pid` to the pid stacktop watches (a container's pid to the host's).
    private let pidTranslation = Mutex<(@Sendable (Int32) -> Int32)?>(nil)
    /// Maps an access log's pid (component, pid) to the pid stacktop watches.
    private let logPidTranslation = Mutex<(@Sendable (String, Int32) -> Int32)?>(nil)
    private let followed: Mutex<[FollowedLog]>
    private let control = Mutex(Control())
    private let wake = DispatchSemaphore(value: 0)
    private let tickerDone = DispatchSemaphore(value: 0)

    struct Control: Sendable {
        var generator: LoadGenerator?
        var generatorsMade = 0
        var load = FlowFigures.Load()
        var latest: FlowFigures?
        var tickerStarted = false
        var finishing = false
        var totals: FlowFigures?
    }

    /// A monitor for the front door at `url` (loopback `http://HOST:PORT`) sending `mix`, following
    /// `logs` (the front door's first). Lines whose path `probes` matches count as probes.
    /// Nothing runs before `start`.
    public init(
        url: String, mix: [WeightedPath], logs: [LogSource], probes: ProbeFilter = ProbeFilter(),
        settings: LoadSettings = LoadSettings(), tickMs: Int = 1000,
        onSecond: @escaping @Sendable (FlowFigures) -> Void
    ) {
        self.url = url
        self.mix = mix
        self.logs = logs.filter(\.frontDoor) + logs.filter { !$0.frontDoor }
        self.settings = settings
        tickNanos = UInt64(max(10, tickMs)) * 1_000_000
        self.onSecond = onSecond
        let now = LoadGenerator.nowNanos
        samples = Mutex(TrafficStats(startNanos: now))
        followed = Mutex(self.logs.map { FollowedLog(source: $0, startNanos: now, probes: probes) })
    }

    /// Starts the ticker: the logs are read and a window closed every tick.
    public func start() {
        let first = control.withLock { c -> Bool in
            defer { c.tickerStarted = true }
            return !c.tickerStarted && !c.finishing
        }
        guard first else { return }
        DispatchQueue(label: "stacktop.flow").async { [self] in
            runTicker()
            tickerDone.signal()
        }
    }

    // MARK: - Load

    /// Starts the load (creating the generator the first time) at `rate` requests per second
    /// (1...10,000); with `requests`, exactly that many are sent, then it idles.
    public func startLoad(rate: Int, requests: Int? = nil) throws {
        let already = samples.withLock { $0.cumulative(now: 0).samples }
        let (generator, fresh) = try control.withLock { c throws -> (LoadGenerator?, Bool) in
            guard !c.finishing else { return (nil, false) }
            let fresh = c.generatorsMade == 0
            if c.generator == nil {
                c.generatorsMade += 1
                c.generator = try LoadGenerator(url: url, mix: mix, settings: settings) { [weak self] sample in
                    guard let self else { return }
                    var sample = sample
                    if let pid = sample.workerPid, let translate = pidTranslation.withLock({ $0 }) {
                        sample.workerPid = translate(pid)
                    }
                    samples.withLock { $0.record(sample) }
                    sampleObserver.withLock { $0 }?(sample)
                }
            }
            // A limit counts from the requests already done (a load started again keeps its totals).
            c.load = FlowFigures.Load(
                started: true, paused: false, rate: LoadSettings.clamp(rate),
                limit: requests.map { $0 + (fresh ? 0 : already) })
            return (c.generator, fresh)
        }
        // The generator's figures start with its first request, not with the stack (a load
        // stopped and started again keeps counting into the same totals).
        if fresh { samples.withLock { $0 = TrafficStats(startNanos: LoadGenerator.nowNanos) } }
        generator?.start(rate: rate, requests: requests)
    }

    /// Rewrites every sample's `X-Worker-Pid` with `translate` before it is counted (nil stops it):
    /// a container's app reports its pid inside the container, stacktop watches the host's.
    public func setWorkerPidTranslation(_ translate: (@Sendable (Int32) -> Int32)?) {
        pidTranslation.withLock { $0 = translate }
    }

    /// Rewrites the pid of every access-log line read from now on with `translate(component,
    /// pid)` (nil stops it): a container's servers log their pids inside the container.
    public func setLogPidTranslation(_ translate: (@Sendable (String, Int32) -> Int32)?) {
        logPidTranslation.withLock { $0 = translate }
    }

    /// Hands every request's sample to `observer` as it is recorded (nil stops it), on the
    /// generator's event loop thread: `observer` must be quick and must not call back into the
    /// monitor's load methods. Samples of requests that ended before the call are not replayed.
    public func setSampleObserver(_ observer: (@Sendable (LoadSample) -> Void)?) {
        sampleObserver.withLock { $0 = observer }
    }

    /// Changes the rate of a running load (clamped to 0...10,000).
    public func setRate(_ rate: Int) {
        let g = control.withLock { c -> LoadGenerator? in
            if c.generator != nil { c.load.rate = LoadSettings.clamp(rate) }
            return c.generator
        }
        g?.setRate(rate)
    }

    /// Stops scheduling requests (in-flight ones complete); `resume` goes on.
    public func pause() {
        control.withLock { c -> LoadGenerator? in
            if c.generator != nil { c.load.paused = true }
            return c.generator
        }?.pause()
    }

    /// Resumes a paused load from now.
    public func resume() {
        control.withLock { c -> LoadGenerator? in
            if c.generator != nil { c.load.paused = false }
            return c.generator
        }?.resume()
    }

    /// What the load is set to now.
    public var load: FlowFigures.Load {
        let done = samples.withLock { $0.cumulative(now: 0).samples }
        return control.withLock { c in
            var load = c.load
            load.done = done
            return load
        }
    }

    /// Stops the load: no new requests; requests in flight get up to `drainMs` to complete, the
    /// rest end as `cancelled`. Blocks until the generator has stopped. Safe to call twice.
    public func stopLoad(drainMs: Int = 1500) {
        guard let g = takeGenerator() else { return }
        let done = DispatchSemaphore(value: 0)
        Task {
            await Self.drainAndStop(g, drainMs: drainMs)
            done.signal()
        }
        done.wait()
    }

    /// `stopLoad` for callers inside Swift concurrency.
    public func stopLoadAsync(drainMs: Int = 1500) async {
        guard let g = takeGenerator() else { return }
        await Self.drainAndStop(g, drainMs: drainMs)
    }

    private func takeGenerator() -> LoadGenerator? {
        control.withLock { c in
            defer { c.generator = nil; c.load.started = false }
            return c.generator
        }
    }

    private static func drainAndStop(_ g: LoadGenerator, drainMs: Int) async {
        g.pause()
        let deadline = LoadGenerator.nowNanos + UInt64(max(0, drainMs)) * 1_000_000
        while LoadGenerator.nowNanos < deadline {
            guard let s = try? await g.status(), s.busy + s.queued > 0 else { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        await g.stop()
    }

    // MARK: - Figures

    /// The last second handed out, if any.
    public func latest() -> FlowFigures? { control.withLock { $0.latest } }

    /// Figures for the whole run so far (the logs as of the last tick).
    public func totals() -> FlowFigures {
        if let done = control.withLock({ $0.totals }) { return done }
        let now = LoadGenerator.nowNanos
        let generator = samples.withLock { $0.cumulative(now: now) }
        let hops = followed.withLock { logs in logs.map { $0.cumulative(now: now) } }
        return FlowFigures(load: load, generator: generator, hops: hops, cumulative: true)
    }

    /// Stops the load and the ticker, reads the logs to their end and returns the totals.
    /// Call it after the servers stopped, so their last lines are counted. Safe to call twice.
    @discardableResult
    public func finish() -> FlowFigures {
        stopLoad()
        let (wasRunning, done) = control.withLock { c in
            defer { c.finishing = true }
            return (c.tickerStarted && !c.finishing, c.totals)
        }
        if let done { return done }
        if wasRunning {
            wake.signal()
            tickerDone.wait()
        }
        let translate = logPidTranslation.withLock { $0 }
        followed.withLock { logs in for i in logs.indices { logs[i].poll(translatePid: translate) } }
        let totals = self.totals()
        control.withLock { $0.totals = totals }
        return totals
    }

    // MARK: - The ticker

    private func runTicker() {
        var next = LoadGenerator.nowNanos + tickNanos
        while true {
            let now = LoadGenerator.nowNanos
            let waitNanos = next > now ? next - now : 0
            let woken = wake.wait(timeout: .now() + .nanoseconds(Int(waitNanos))) == .success
            if woken || control.withLock({ $0.finishing }) { return }
            let figures = tick(now: LoadGenerator.nowNanos)
            onSecond(figures)
            next += tickNanos
            let after = LoadGenerator.nowNanos
            if next <= after { next = after + tickNanos }  // a stalled tick skips, never bursts
        }
    }

    /// Reads the logs, closes every window at `now` and keeps the result as the latest.
    func tick(now: UInt64) -> FlowFigures {
        let translate = logPidTranslation.withLock { $0 }
        let hops = followed.withLock { logs in
            logs.indices.map { i in
                logs[i].poll(translatePid: translate)
                return logs[i].close(now: now)
            }
        }
        let (generator, done) = samples.withLock { s in (s.closeWindow(now: now), s.cumulative(now: now).samples) }
        return control.withLock { c in
            var load = c.load
            load.done = done
            let f = FlowFigures(load: load, generator: generator, hops: hops, cumulative: false)
            c.latest = f
            return f
        }
    }
}
