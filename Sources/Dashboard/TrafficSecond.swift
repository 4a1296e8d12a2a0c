import StackModel
import Supervision

/// One second of traffic: the `traffic` event's figures as they came (`StackEvent.Traffic`,
/// itself `Traffic`'s windows), and when the second ended.
///
/// The dashboard keeps the last minute of these for its sparklines, sums `byWorker` into
/// per-process request counts and edge rates.
public struct TrafficSecond: Sendable, Equatable {
    /// End of the window, ms since launch.
    public var endMs: Int
    public var traffic: StackEvent.Traffic

    public init(endMs: Int, traffic: StackEvent.Traffic) {
        self.endMs = endMs
        self.traffic = traffic
    }

    /// A second of stacktop's own requests only (no access logs): `rps` completed per second,
    /// `byWorker` the pid that answered (X-Worker-Pid), `loadOn` and its target `rate`.
    public init(
        endMs: Int, rps: Double, p50Ms: Double? = nil, p99Ms: Double? = nil, byStatus: [Int: Int] = [:],
        byError: [LoadErrorKind: Int] = [:], byWorker: [Int32: Int] = [:], loadOn: Bool, rate: Int
    ) {
        let requests = TrafficWindow(
            samples: byStatus.values.reduce(0, +) + byError.values.reduce(0, +),
            responses: byStatus.values.reduce(0, +), rps: rps, p50Ms: p50Ms, p99Ms: p99Ms,
            byStatus: byStatus, byError: byError, byWorker: byWorker)
        self.init(
            endMs: endMs, traffic: StackEvent.Traffic(windowMs: 1000, load: loadOn, rate: rate, requests: requests))
    }

    /// The load generator's figures: rate, latency, statuses, failures without a status
    /// ("refused", "reset", "timeout"), answering pids, app versions.
    public var requests: TrafficWindow { traffic.requests }

    /// Requests that got a 5xx status or no answer at all.
    public var failures: Int {
        requests.byStatus.filter { $0.key >= 500 }.values.reduce(0, +) + requests.errors
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
