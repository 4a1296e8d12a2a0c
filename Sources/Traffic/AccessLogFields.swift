/// The fields stacktop reads from one line of a front server's or app server's access log.
///
/// Lines come in the `key=value` formats of `StackRecipes.AccessLogFormat`; a field the line does
/// not carry (or carries as `-`) is nil.
public struct AccessLogFields: Sendable, Equatable {
    /// HTTP status the client got.
    public var status: Int
    /// Total time at the server that wrote the line, in microseconds (nil when not logged).
    public var totalMicros: Int?
    /// Time spent waiting for the upstreams (front servers only), in microseconds: the sum over
    /// every upstream tried (nginx lists one time per try).
    public var upstreamMicros: Int?
    /// Status the last upstream tried answered with, when the line comes from a front server that
    /// logs it (nginx's own 502/504 also appear here when no upstream answered).
    public var upstreamStatus: Int?
    /// How many upstreams the front server tried (0 when it answered itself, e.g. a static file).
    public var upstreamAttempts: Int
    /// Pid of the app process that served the request (the `X-Worker-Pid` header a front server
    /// saw, or the app server's own worker pid), when known.
    public var pid: Int32?
    /// Pid of the front server process that wrote the line (nginx worker, Apache child), if logged.
    public var serverPid: Int32?
    /// When the line was written, in milliseconds since the Unix epoch (gunicorn: whole seconds).
    public var timeMillis: Int64?

    public init(
        status: Int, totalMicros: Int? = nil, upstreamMicros: Int? = nil,
        upstreamStatus: Int? = nil, upstreamAttempts: Int = 0, pid: Int32? = nil,
        serverPid: Int32? = nil, timeMillis: Int64? = nil
    ) {
        self.status = status
        self.totalMicros = totalMicros
        self.upstreamMicros = upstreamMicros
        self.upstreamStatus = upstreamStatus
        self.upstreamAttempts = upstreamAttempts
        self.pid = pid
        self.serverPid = serverPid
        self.timeMillis = timeMillis
    }

    /// True when the server answered 5xx on its own because no app process answered: nginx's
    /// 502/504 (upstream refused, reset or timed out), Apache's or lighttpd's 503 from a dead
    /// backend, mod_wsgi's 500 for a killed daemon. Told apart from the app's own 500 by the
    /// missing `X-Worker-Pid` (the demo app tags every response it makes).
    public var failedWithoutApp: Bool {
        status >= 500 && pid == nil
    }

    /// Time the front server spent on its own (total minus upstream), in microseconds.
    public var frontOverheadMicros: Int? {
        guard let total = totalMicros, let up = upstreamMicros else { return nil }
        return max(0, total - up)
    }
}
