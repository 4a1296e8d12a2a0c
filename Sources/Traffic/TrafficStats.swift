import Supervision

/// Request rate, latency percentiles and counts of load samples, per window and for the whole run.
///
/// Pure: fed with samples and told the time (`now`, monotonic nanoseconds as in `LoadSample`);
/// it reads no clock. The caller closes a window once a second (`closeWindow(now:)`), which
/// returns that window's figures and starts the next. Latency percentiles cover responses of
/// any status and timeouts (a stall is latency); refused, reset, overflow and cancelled
/// requests are counted by kind only.
public struct TrafficStats: Sendable {
    private var tallies: WindowedTally<TrafficTally>

    /// Empty statistics whose first window (and the run) starts at `startNanos`.
    public init(startNanos: UInt64) {
        tallies = WindowedTally(startNanos: startNanos)
    }

    /// Adds one sample to the current window and the run.
    public mutating func record(_ sample: LoadSample) {
        tallies.add { $0.add(sample) }
    }

    /// Adds samples in order.
    public mutating func record<S: Sequence>(contentsOf samples: S) where S.Element == LoadSample {
        for s in samples { record(s) }
    }

    /// The current window so far (from its start to `now`), without closing it.
    public func currentWindow(now: UInt64) -> TrafficWindow { tallies.currentWindow(now: now) }

    /// Ends the current window at `now`, returns its figures and starts a new, empty one.
    public mutating func closeWindow(now: UInt64) -> TrafficWindow { tallies.closeWindow(now: now) }

    /// Figures for the whole run, from its start to `now`.
    public func cumulative(now: UInt64) -> TrafficWindow { tallies.cumulative(now: now) }
}
