import Supervision

/// Counts and a latency histogram over a set of samples (one window, or the whole run).
struct TrafficTally: Sendable {
    /// Latencies in microseconds, 1 µs .. 1 hour, 3 significant digits.
    var latency = LatencyHistogram()
    var samples = 0
    var responses = 0
    var byStatus: [Int: Int] = [:]
    var byError: [LoadErrorKind: Int] = [:]
    var byWorker: [Int32: Int] = [:]
    var byPath: [String: Int] = [:]
    var byVersion: [Int32: Int] = [:]

    mutating func add(_ s: LoadSample) {
        samples += 1
        byPath[s.path, default: 0] += 1
        switch s.outcome {
        case .status(let code):
            responses += 1
            byStatus[code, default: 0] += 1
            recordLatency(s.latencyNanos)
        case .error(let kind):
            byError[kind, default: 0] += 1
            if kind == .timeout { recordLatency(s.latencyNanos) }
        }
        if let pid = s.workerPid { byWorker[pid, default: 0] += 1 }
        if let v = s.appVersion { byVersion[v, default: 0] += 1 }
    }

    private mutating func recordLatency(_ nanos: UInt64) {
        latency.record(micros: nanos / 1000)
    }

    mutating func reset() {
        latency.reset()
        samples = 0
        responses = 0
        byStatus.removeAll(keepingCapacity: true)
        byError.removeAll(keepingCapacity: true)
        byWorker.removeAll(keepingCapacity: true)
        byPath.removeAll(keepingCapacity: true)
        byVersion.removeAll(keepingCapacity: true)
    }

    func window(from start: UInt64, to end: UInt64) -> TrafficWindow {
        let seconds = Double(end > start ? end - start : 0) / 1e9
        func ms(_ p: Double) -> Double? { latency.ms(atPercentile: p) }
        return TrafficWindow(
            startNanos: start, endNanos: end, samples: samples, responses: responses,
            rps: seconds > 0 ? Double(responses) / seconds : 0,
            p50Ms: ms(50), p90Ms: ms(90), p99Ms: ms(99),
            maxMs: latency.maxMs,
            byStatus: byStatus, byError: byError, byWorker: byWorker, byPath: byPath, byVersion: byVersion)
    }
}
