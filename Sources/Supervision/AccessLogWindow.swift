/// The figures of one server's access log over one time span: every request that server saw,
/// whoever sent it (stacktop's generator, curl, wrk, a browser).
///
/// stacktop's own probe requests (see `ProbeFilter`) are counted in `lines` and `probes` only;
/// every other figure covers the remaining `requests`.
public struct AccessLogWindow: Sendable, Equatable {
    public var startNanos: UInt64
    public var endNanos: UInt64
    /// Lines read that parsed (requests and probes).
    public var lines: Int
    /// Lines that were not stacktop's probes.
    public var requests: Int
    /// Lines of stacktop's own probes (`/health` of the hop check, `/__stacktop/…`).
    public var probes: Int
    /// Non-empty lines that did not parse as access log lines.
    public var unparsed: Int
    /// Requests per second over the span.
    public var rps: Double
    /// The server's own time per request (from accepting it to the last byte sent), in ms;
    /// nil when nothing was measured.
    public var p50Ms: Double?
    public var p90Ms: Double?
    public var p99Ms: Double?
    public var maxMs: Double?
    /// Time spent waiting for the upstream, for front servers that log it (nginx), in ms.
    public var upstreamP50Ms: Double?
    public var upstreamP99Ms: Double?
    /// Requests by the status the client got.
    public var byStatus: [Int: Int]
    /// Requests by the app process that served them (the logged `worker_pid`).
    public var byWorker: [Int32: Int]
    /// 5xx the server answered on its own because no app process answered (nginx's 502/504).
    public var frontErrors: Int
    /// 5xx made by an app process (the demo app's `/error`, a crash inside a handler).
    public var appErrors: Int

    public init(
        startNanos: UInt64 = 0, endNanos: UInt64 = 0, lines: Int = 0, requests: Int = 0,
        probes: Int = 0, unparsed: Int = 0, rps: Double = 0, p50Ms: Double? = nil,
        p90Ms: Double? = nil, p99Ms: Double? = nil, maxMs: Double? = nil,
        upstreamP50Ms: Double? = nil, upstreamP99Ms: Double? = nil, byStatus: [Int: Int] = [:],
        byWorker: [Int32: Int] = [:], frontErrors: Int = 0, appErrors: Int = 0
    ) {
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.lines = lines
        self.requests = requests
        self.probes = probes
        self.unparsed = unparsed
        self.rps = rps
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.p99Ms = p99Ms
        self.maxMs = maxMs
        self.upstreamP50Ms = upstreamP50Ms
        self.upstreamP99Ms = upstreamP99Ms
        self.byStatus = byStatus
        self.byWorker = byWorker
        self.frontErrors = frontErrors
        self.appErrors = appErrors
    }

    /// The same figures with the rate and times to 3 decimals, as the `traffic` event carries them.
    public func rounded() -> AccessLogWindow {
        var w = self
        w.rps = TrafficWindow.round3(rps)
        w.p50Ms = p50Ms.map(TrafficWindow.round3)
        w.p90Ms = p90Ms.map(TrafficWindow.round3)
        w.p99Ms = p99Ms.map(TrafficWindow.round3)
        w.maxMs = maxMs.map(TrafficWindow.round3)
        w.upstreamP50Ms = upstreamP50Ms.map(TrafficWindow.round3)
        w.upstreamP99Ms = upstreamP99Ms.map(TrafficWindow.round3)
        return w
    }
}
