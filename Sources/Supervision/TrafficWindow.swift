/// The figures of load samples over one time span: what the `traffic` event and the dashboard's
/// traffic panel show. `Traffic`'s tally makes it; the event and the panel carry it as it is.
public struct TrafficWindow: Sendable, Equatable {
    public var startNanos: UInt64
    public var endNanos: UInt64
    /// Every sample in the span (responses and errors).
    public var samples: Int
    /// Samples that got an HTTP response (any status).
    public var responses: Int
    /// Responses per second over the span.
    public var rps: Double
    /// Latency percentiles and maximum in milliseconds (HdrHistogram, 3 significant digits);
    /// nil when nothing was measured.
    public var p50Ms: Double?
    public var p90Ms: Double?
    public var p99Ms: Double?
    public var maxMs: Double?
    public var byStatus: [Int: Int]
    public var byError: [LoadErrorKind: Int]
    /// Responses by the `X-Worker-Pid` they carried.
    public var byWorker: [Int32: Int]
    public var byPath: [String: Int]
    /// Responses by the `X-App-Version` they carried (the demo app's version).
    public var byVersion: [Int32: Int] = [:]

    public init(
        startNanos: UInt64 = 0, endNanos: UInt64 = 0, samples: Int = 0, responses: Int = 0, rps: Double = 0,
        p50Ms: Double? = nil, p90Ms: Double? = nil, p99Ms: Double? = nil, maxMs: Double? = nil,
        byStatus: [Int: Int] = [:], byError: [LoadErrorKind: Int] = [:], byWorker: [Int32: Int] = [:],
        byPath: [String: Int] = [:], byVersion: [Int32: Int] = [:]
    ) {
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.samples = samples
        self.responses = responses
        self.rps = rps
        self.p50Ms = p50Ms
        self.p90Ms = p90Ms
        self.p99Ms = p99Ms
        self.maxMs = maxMs
        self.byStatus = byStatus
        self.byError = byError
        self.byWorker = byWorker
        self.byPath = byPath
        self.byVersion = byVersion
    }

    /// The same figures with the rate and times to 3 decimals, as the `traffic` event carries them.
    public func rounded() -> TrafficWindow {
        var w = self
        w.rps = Self.round3(rps)
        w.p50Ms = p50Ms.map(Self.round3)
        w.p90Ms = p90Ms.map(Self.round3)
        w.p99Ms = p99Ms.map(Self.round3)
        w.maxMs = maxMs.map(Self.round3)
        return w
    }

    /// Errors of every kind.
    public var errors: Int { byError.values.reduce(0, +) }

    /// The fields of the `traffic` event in order: `rps`, `p50_ms`, `p90_ms`, `p99_ms`, `max_ms`,
    /// `by_status`, `by_error`, `by_worker` (object keys sorted, numbers as text keys). The
    /// caller wraps them in its JSON type; a missing percentile is `.null`.
    public var eventFields: [(String, TrafficField)] {
        func ms(_ v: Double?) -> TrafficField { v.map { .double(Self.round3($0)) } ?? .null }
        return [
            ("rps", .double(Self.round3(rps))),
            ("p50_ms", ms(p50Ms)),
            ("p90_ms", ms(p90Ms)),
            ("p99_ms", ms(p99Ms)),
            ("max_ms", ms(maxMs)),
            ("by_status", .counts(byStatus.sorted { $0.key < $1.key }.map { (String($0.key), $0.value) })),
            ("by_error", .counts(byError.sorted { $0.key < $1.key }.map { ($0.key.rawValue, $0.value) })),
            ("by_worker", .counts(byWorker.sorted { $0.key < $1.key }.map { (String($0.key), $0.value) })),
        ]
    }

    static func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}

/// A value of a `traffic` event field, for the caller's JSON encoder.
public enum TrafficField: Sendable, Equatable {
    case double(Double)
    case null
    /// An object of counts, keys in order.
    case counts([(String, Int)])

    public static func == (a: TrafficField, b: TrafficField) -> Bool {
        switch (a, b) {
        case let (.double(x), .double(y)): return x == y
        case (.null, .null): return true
        case let (.counts(x), .counts(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }
}
