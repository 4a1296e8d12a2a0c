import Supervision

/// Request counts, statuses, workers and latencies of one server's access log, per window and
/// for the whole run.
///
/// Pure: fed with lines and told the time (`now`, monotonic nanoseconds as in `LoadSample`).
/// The caller closes a window once a second, as with `TrafficStats`.
public struct AccessLogStats: Sendable {
    private var tallies: WindowedTally<AccessLogTally>
    public let probes: ProbeFilter

    /// Empty statistics whose first window (and the run) start at `startNanos`.
    public init(startNanos: UInt64, probes: ProbeFilter = ProbeFilter()) {
        tallies = WindowedTally(startNanos: startNanos)
        self.probes = probes
    }

    /// Adds one raw line (without its newline): parsed, sorted into probe or request, counted.
    /// `translatePid` rewrites the line's pid first (a container's pid to the host's).
    public mutating func record(line: UnsafeBufferPointer<UInt8>, translatePid: ((Int32) -> Int32)? = nil) {
        if var fields = AccessLogParser.parse(line) ?? AccessLogParser.parseCommon(line) {
            if let translatePid, let pid = fields.pid { fields.pid = translatePid(pid) }
            record(fields, probe: probes.matches(line))
        } else if !line.isEmpty {
            tallies.add { $0.addUnparsed() }
        }
    }

    /// Adds one raw line given as text (tests and tools).
    public mutating func record(line: String) {
        var copy = line
        copy.withUTF8 { record(line: $0) }
    }

    /// Adds one parsed line.
    public mutating func record(_ fields: AccessLogFields, probe: Bool) {
        tallies.add { $0.add(fields, probe: probe) }
    }

    /// The current window so far, without closing it.
    public func currentWindow(now: UInt64) -> AccessLogWindow { tallies.currentWindow(now: now) }

    /// Ends the current window at `now`, returns its figures and starts a new, empty one.
    public mutating func closeWindow(now: UInt64) -> AccessLogWindow { tallies.closeWindow(now: now) }

    /// Figures for the whole run, from its start to `now`.
    public func cumulative(now: UInt64) -> AccessLogWindow { tallies.cumulative(now: now) }
}
