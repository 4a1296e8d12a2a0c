import Supervision

/// What a `FlowMonitor` measured over one second (or, for totals, the whole run): the load
/// generator's view of its own requests and each access log's view of every request.
public struct FlowFigures: Sendable, Equatable {
    /// What the load generator was set to when the span ended.
    public var load: Load
    /// stacktop's own requests: rate, latency, statuses, errors, `X-Worker-Pid`s.
    public var generator: TrafficWindow
    /// One entry per access log followed, the front door's first.
    public var hops: [Hop]
    /// True for the totals of the run, false for one window.
    public var cumulative: Bool

    public init(load: Load, generator: TrafficWindow, hops: [Hop], cumulative: Bool) {
        self.load = load
        self.generator = generator
        self.hops = hops
        self.cumulative = cumulative
    }

    /// The front door's access log view, if its server writes one.
    public var frontDoor: Hop? { hops.first { $0.log.frontDoor } }

    /// The load generator's settings.
    public struct Load: Sendable, Equatable {
        /// `startLoad` was called and the load was not stopped since.
        public var started: Bool
        public var paused: Bool
        /// Target requests per second.
        public var rate: Int
        /// Requests to send in all, for a bounded run.
        public var limit: Int?
        /// Requests of the generator accounted for so far (answered or failed).
        public var done: Int

        public init(started: Bool = false, paused: Bool = false, rate: Int = 0, limit: Int? = nil, done: Int = 0) {
            self.started = started
            self.paused = paused
            self.rate = rate
            self.limit = limit
            self.done = done
        }

        /// Requests are being scheduled (started, not paused, a positive rate, the limit not reached).
        public var on: Bool { started && !paused && rate > 0 && limit.map { done < $0 } ?? true }
    }

    /// One server's access log and its figures.
    public struct Hop: Sendable, Equatable {
        public var log: FlowMonitor.LogSource
        public var window: AccessLogWindow

        public init(log: FlowMonitor.LogSource, window: AccessLogWindow) {
            self.log = log
            self.window = window
        }
    }
}
