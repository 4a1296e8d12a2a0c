/// CPU, memory and busy of one process as the dashboard shows it, sampled by the wiring from
/// /proc (Runtime's `ProcessUsage` is the meter's own measurement).
public struct UsageReading: Sendable, Equatable {
    /// CPU time over the last sample interval, in percent of one core.
    public var cpuPercent: Double
    /// Resident set size in bytes.
    public var rssBytes: Int
    /// In a request (true) or waiting for one (false) at the last scan; nil when not known
    /// (not an app-server worker, or its server has no socket of its own).
    public var busy: Bool?

    public init(cpuPercent: Double, rssBytes: Int, busy: Bool? = nil) {
        self.cpuPercent = cpuPercent
        self.rssBytes = rssBytes
        self.busy = busy
    }
}
