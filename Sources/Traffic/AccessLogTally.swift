import Supervision

/// Counts and latency histograms over a set of access log lines of one server (one window, or
/// the whole run).
struct AccessLogTally: Sendable {
    /// The server's own time per request, in microseconds (1 µs .. 1 hour, 3 significant digits).
    var total = LatencyHistogram()
    /// Time waiting for the upstream (front servers that log it), in microseconds.
    var upstream = LatencyHistogram()
    var lines = 0
    var requests = 0
    var probes = 0
    var unparsed = 0
    var byStatus: [Int: Int] = [:]
    var byWorker: [Int32: Int] = [:]
    var frontErrors = 0
    var appErrors = 0

    /// Adds one parsed line; a probe's line is counted as a probe only.
    mutating func add(_ f: AccessLogFields, probe: Bool) {
        lines += 1
        if probe {
            probes += 1
            return
        }
        requests += 1
        byStatus[f.status, default: 0] += 1
        if let pid = f.pid { byWorker[pid, default: 0] += 1 }
        if f.failedWithoutApp {
            frontErrors += 1
        } else if f.status >= 500 {
            appErrors += 1
        }
        if let t = f.totalMicros { total.record(micros: UInt64(max(1, t))) }
        if let u = f.upstreamMicros { upstream.record(micros: UInt64(max(1, u))) }
    }

    mutating func addUnparsed() {
        unparsed += 1
    }

    /// Empties the tally in place, keeping the histograms' and dictionaries' storage (a window
    /// closes every second; an empty one, an idle second, is left as it is).
    mutating func reset() {
        guard lines > 0 || unparsed > 0 else { return }
        total.reset()
        upstream.reset()
        lines = 0
        requests = 0
        probes = 0
        unparsed = 0
        byStatus.removeAll(keepingCapacity: true)
        byWorker.removeAll(keepingCapacity: true)
        frontErrors = 0
        appErrors = 0
    }

    func window(from start: UInt64, to end: UInt64) -> AccessLogWindow {
        let seconds = Double(end > start ? end - start : 0) / 1e9
        func ms(_ h: LatencyHistogram, _ p: Double) -> Double? { h.ms(atPercentile: p) }
        return AccessLogWindow(
            startNanos: start, endNanos: end, lines: lines, requests: requests, probes: probes,
            unparsed: unparsed, rps: seconds > 0 ? Double(requests) / seconds : 0,
            p50Ms: ms(total, 50), p90Ms: ms(total, 90), p99Ms: ms(total, 99),
            maxMs: total.maxMs,
            upstreamP50Ms: ms(upstream, 50), upstreamP99Ms: ms(upstream, 99),
            byStatus: byStatus, byWorker: byWorker, frontErrors: frontErrors, appErrors: appErrors)
    }
}
