/// One access log a `FlowMonitor` follows: the tail reading it from its first line (or its end) and the
/// statistics of what was read.
struct FollowedLog {
    let source: FlowMonitor.LogSource
    private let tail: LogTail
    private var stats: AccessLogStats

    init(source: FlowMonitor.LogSource, startNanos: UInt64, probes: ProbeFilter) {
        self.source = source
        tail = LogTail(path: source.path, from: source.fromEnd ? .end : .beginning)
        stats = AccessLogStats(startNanos: startNanos, probes: probes)
    }

    /// Reads what was appended since the last poll into the current window; `translatePid`
    /// maps each line's pid (from this log's component) to the pid stacktop watches.
    mutating func poll(translatePid: (@Sendable (String, Int32) -> Int32)? = nil) {
        let tail = self.tail
        let component = source.component
        let translate = translatePid.map { t in { (pid: Int32) in t(component, pid) } }
        tail.poll { line in stats.record(line: line, translatePid: translate) }
    }

    /// Ends the current window at `now`.
    mutating func close(now: UInt64) -> FlowFigures.Hop {
        FlowFigures.Hop(log: source, window: stats.closeWindow(now: now))
    }

    /// The whole run so far.
    func cumulative(now: UInt64) -> FlowFigures.Hop {
        FlowFigures.Hop(log: source, window: stats.cumulative(now: now))
    }
}
