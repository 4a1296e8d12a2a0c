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

    /// Reads what was appended since the last poll into the current window.
    mutating func poll() {
        let tail = self.tail
        tail.poll { line in stats.record(line: line) }
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
