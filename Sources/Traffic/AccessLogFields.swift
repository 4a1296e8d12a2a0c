/// The fields stacktop reads from one line of a front server's or app server's access log.
public struct AccessLogFields: Sendable, Equatable {
    /// HTTP status the client got.
    public var status: Int
    /// Total time at the server that wrote the line, in microseconds (nil when not logged).
    public var totalMicros: Int?
    /// Time spent waiting for the upstream (front servers only), in microseconds.
    public var upstreamMicros: Int?
    /// Status the upstream answered with, when the line comes from a front server.
    public var upstreamStatus: Int?
    /// Pid of the process that served the request, when the server logs it.
    public var pid: Int32?

    public init(status: Int, totalMicros: Int? = nil, upstreamMicros: Int? = nil,
                upstreamStatus: Int? = nil, pid: Int32? = nil) {
        self.status = status
        self.totalMicros = totalMicros
        self.upstreamMicros = upstreamMicros
        self.upstreamStatus = upstreamStatus
        self.pid = pid
    }
}
