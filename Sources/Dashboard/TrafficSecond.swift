import StackModel

/// One second of traffic as stacktop's load generator saw it, filled by the wiring from `Traffic`.
///
/// Pure and independent of SwiftNIO: the dashboard keeps the last minute of these for its
/// sparklines, sums `byWorkerPid` into per-process request counts and edge rates.
public struct TrafficSecond: Sendable, Equatable {
    /// End of the window, ms since launch.
    public var endMs: Int
    /// Completed requests per second in the window (answered or failed).
    public var rps: Double
    /// Latency percentiles of the window's requests; nil when there were none.
    public var p50Ms: Double?
    public var p99Ms: Double?
    /// HTTP status → requests.
    public var byStatus: [Int: Int]
    /// Failure without a status ("refused", "reset", "timeout") → requests.
    public var byError: [String: Int]
    /// The pid that answered (X-Worker-Pid, or the access log) → requests.
    public var byWorkerPid: [Int32: Int]
    /// Whether load was on during the window.
    public var loadOn: Bool
    /// The target rate in requests per second.
    public var rate: Int
    /// The app version (X-App-Version) that answered → requests; empty when the app sends none.
    public var byVersion: [Int: Int] = [:]

    public init(endMs: Int, rps: Double, p50Ms: Double? = nil, p99Ms: Double? = nil, byStatus: [Int: Int] = [:],
                byError: [String: Int] = [:], byWorkerPid: [Int32: Int] = [:], loadOn: Bool, rate: Int) {
        self.endMs = endMs
        self.rps = rps
        self.p50Ms = p50Ms
        self.p99Ms = p99Ms
        self.byStatus = byStatus
        self.byError = byError
        self.byWorkerPid = byWorkerPid
        self.loadOn = loadOn
        self.rate = rate
    }

    /// Requests that got a 5xx status or no answer at all.
    public var failures: Int {
        byStatus.filter { $0.key >= 500 }.values.reduce(0, +) + byError.values.reduce(0, +)
    }
}

/// One stack the picker offers: a topology file and whether this machine can run it.
public struct PickerEntry: Sendable, Equatable {
    public var name: String
    public var path: String
    /// The loaded topology; nil when the file does not load.
    public var topology: Topology?
    /// Why it cannot run here (a missing server, a broken file); nil when it can.
    public var problem: String?

    public init(name: String, path: String, topology: Topology?, problem: String?) {
        self.name = name
        self.path = path
        self.topology = topology
        self.problem = problem
    }

    public var isRunnable: Bool { problem == nil && topology != nil }
}
