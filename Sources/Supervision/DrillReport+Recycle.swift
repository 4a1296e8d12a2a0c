/// recycle: how often workers were recycled and what it cost, against a window before.
extension DrillReport {
    /// The client's figures for one window of the drill's load.
    public struct LoadWindow: Sendable, Equatable {
        /// Window start and length, ms after the fault (the baseline starts before it: negative).
        public var startMs: Int
        public var lengthMs: Int
        /// Requests that ended in the window.
        public var requests: Int
        /// Answered below 500.
        public var answered: Int
        /// Failed requests by kind (`502`, `refused`, `reset`, …).
        public var failures: [String: Int]
        /// Of the answered requests, from schedule to answer (ms).
        public var p50Ms: Int?
        public var p99Ms: Int?

        /// Answered requests per second.
        public var answeredPerSecond: Double { lengthMs > 0 ? Double(answered) * 1000 / Double(lengthMs) : 0 }
        public var failed: Int { failures.values.reduce(0, +) }

        /// The window of `requests` (on the stack's clock) ending in [from, from + length); times
        /// relative to `faultMs`.
        public static func measure(_ requests: [DrillRequest], fromMs from: Int, lengthMs: Int, faultMs: Int)
            -> LoadWindow
        {
            let inside = requests.filter { $0.tMs >= from && $0.tMs < from + lengthMs }
            var failures: [String: Int] = [:]
            var latencies: [Int] = []
            for r in inside {
                if r.succeeded {
                    latencies.append(r.tMs - r.scheduledMs)
                } else if let kind = r.failureKind {
                    failures[kind, default: 0] += 1
                }
            }
            latencies.sort()
            func pct(_ p: Double) -> Int? {
                latencies.isEmpty
                    ? nil : latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
            }
            return LoadWindow(
                startMs: from - faultMs, lengthMs: lengthMs, requests: inside.count, answered: latencies.count,
                failures: failures, p50Ms: pct(0.5), p99Ms: pct(0.99))
        }

        /// "412 answered (82.4/s), 0 failed, p50 4 ms, p99 31 ms".
        var text: String {
            var t = "\(answered) answered (\(DrillReport.oneDecimal(answeredPerSecond))/s), \(failed) failed"
            t += DrillReport.kindsText(failures)
            if let p50Ms, let p99Ms { t += ", p50 \(p50Ms) ms, p99 \(p99Ms) ms" }
            return t
        }

        var json: JSONValue {
            .object([
                ("start_ms", .int(startMs)), ("length_ms", .int(lengthMs)), ("requests", .int(requests)),
                ("answered", .int(answered)), ("answered_per_s", .double(answeredPerSecond)),
                ("failures", .object(DrillReport.orderedKinds(failures).map { ($0.kind, .int($0.count)) })),
                ("p50_ms", p50Ms.map { .int($0) } ?? .null), ("p99_ms", p99Ms.map { .int($0) } ?? .null),
            ])
        }
    }

    /// A closed-loop run of a few seconds: how many answers the stack gave at most.
    public struct Capacity: Sendable, Equatable {
        /// Answers below 500 per second.
        public var answeredPerSecond: Double
        /// Failed requests (5xx and connection errors) in the run.
        public var failed: Int
        public var connections: Int
        public var lengthMs: Int

        public init(answeredPerSecond: Double, failed: Int, connections: Int, lengthMs: Int) {
            self.answeredPerSecond = answeredPerSecond
            self.failed = failed
            self.connections = connections
            self.lengthMs = lengthMs
        }

        var text: String {
            "\(DrillReport.oneDecimal(answeredPerSecond)) answers/s at most (\(connections) connections back to back for \(DrillReport.seconds(lengthMs)))"
                + (failed > 0 ? ", \(failed) failed" : "")
        }

        var json: JSONValue {
            .object([
                ("answered_per_s", .double(answeredPerSecond)), ("failed", .int(failed)),
                ("connections", .int(connections)), ("length_ms", .int(lengthMs)),
            ])
        }
    }

    public struct Recycle: Sendable, Equatable {
        /// How recycling was turned on.
        public var how: String
        public var maxRequests: Int
        public var jitter: Int?
        /// Workers replaced in the recycling window, as the process tree showed it (`replaced`).
        public var recyclesInTree: Int
        /// Recycles the server's own log said in that window (its `marker` lines), nil when the
        /// log could not be read.
        public var recyclesInLog: Int?
        /// The log line counted.
        public var marker: String
        /// The window before the reload (no recycling) and the one after it settled.
        public var baseline: LoadWindow
        public var recycling: LoadWindow
        /// The stack's capacity (closed loop) before recycling was turned on, and while it recycles.
        public var capacityBefore: Capacity?
        public var capacityWhile: Capacity?

        public init(
            how: String, maxRequests: Int, jitter: Int?, recyclesInTree: Int, recyclesInLog: Int?,
            marker: String, baseline: LoadWindow, recycling: LoadWindow
        ) {
            self.how = how
            self.maxRequests = maxRequests
            self.jitter = jitter
            self.recyclesInTree = recyclesInTree
            self.recyclesInLog = recyclesInLog
            self.marker = marker
            self.baseline = baseline
            self.recycling = recycling
        }

        /// The throughput cost: capacity while recycling ÷ before; nil without both.
        public var capacityRatio: Double? {
            guard let a = capacityWhile?.answeredPerSecond, let b = capacityBefore?.answeredPerSecond, b > 0 else {
                return nil
            }
            return a / b
        }

        /// Answered requests per second of the drill's load while recycling ÷ before (near 1
        /// below capacity: the cost then shows in latency and in `capacityRatio`).
        public var throughputRatio: Double? {
            baseline.answeredPerSecond > 0 ? recycling.answeredPerSecond / baseline.answeredPerSecond : nil
        }

        /// p99 while recycling ÷ before.
        public var p99Ratio: Double? {
            guard let a = recycling.p99Ms, let b = baseline.p99Ms, b > 0 else { return nil }
            return Double(a) / Double(b)
        }

        var lines: [(String, String)] {
            var cost = "capacity ×" + (capacityRatio.map { DrillReport.twoDecimals($0) } ?? "?")
            cost += ", load answered ×" + (throughputRatio.map { DrillReport.twoDecimals($0) } ?? "?")
            if let p99Ratio { cost += ", p99 latency ×" + DrillReport.twoDecimals(p99Ratio) }
            cost += " (recycling ÷ before)"
            var capacity: [(String, String)] = []
            if let capacityBefore { capacity.append(("capacity", "before: " + capacityBefore.text)) }
            if let capacityWhile { capacity.append(("", "recycling: " + capacityWhile.text)) }
            return [
                ("recycling", how),
                (
                    "recycles",
                    "\(recyclesInTree) workers replaced in ps, \(recyclesInLog.map(String.init) ?? "?") × '\(marker)' in the server's log, in \(DrillReport.seconds(recycling.lengthMs)) from \(DrillReport.rel(recycling.startMs))"
                ),
                ("baseline", "\(DrillReport.seconds(baseline.lengthMs)) before the reload: " + baseline.text),
                ("while", recycling.text),
            ] + capacity + [("cost", cost)]
        }

        var json: JSONValue {
            .object([
                ("how", .string(how)), ("max_requests", .int(maxRequests)),
                ("jitter", jitter.map { .int($0) } ?? .null),
                ("recycles_in_tree", .int(recyclesInTree)),
                ("recycles_in_log", recyclesInLog.map { .int($0) } ?? .null),
                ("log_marker", .string(marker)), ("baseline", baseline.json), ("recycling", recycling.json),
                ("capacity_before", capacityBefore?.json ?? .null), ("capacity_while", capacityWhile?.json ?? .null),
                ("capacity_ratio", capacityRatio.map { .double($0) } ?? .null),
                ("throughput_ratio", throughputRatio.map { .double($0) } ?? .null),
                ("p99_ratio", p99Ratio.map { .double($0) } ?? .null),
            ])
        }
    }

    static func oneDecimal(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    static func twoDecimals(_ v: Double) -> String {
        let hundredths = Int((v * 100).rounded())
        let frac = abs(hundredths % 100)
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
