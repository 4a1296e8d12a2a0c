/// Request rate, latency percentiles and counts of load samples, per window and for the whole run.
///
/// Pure: fed with samples and told the time (`now`, monotonic nanoseconds as in `LoadSample`);
/// it reads no clock. The caller closes a window once a second (`closeWindow(now:)`), which
/// returns that window's figures and starts the next. Latency percentiles cover responses of
/// any status and timeouts (a stall is latency); refused, reset, overflow and cancelled
/// requests are counted by kind only.
public struct TrafficStats: Sendable {
    private var current = TrafficTally()
    private var total = TrafficTally()
    private let runStart: UInt64
    private var windowStart: UInt64

    /// Empty statistics whose first window (and the run) starts at `startNanos`.
    public init(startNanos: UInt64) {
        runStart = startNanos
        windowStart = startNanos
    }

    /// Adds one sample to the current window and the run.
    public mutating func record(_ sample: LoadSample) {
        current.add(sample)
        total.add(sample)
    }

    /// Adds samples in order.
    public mutating func record<S: Sequence>(contentsOf samples: S) where S.Element == LoadSample {
        for s in samples { record(s) }
    }

    /// The current window so far (from its start to `now`), without closing it.
    public func currentWindow(now: UInt64) -> TrafficWindow {
        current.window(from: windowStart, to: now)
    }

    /// Ends the current window at `now`, returns its figures and starts a new, empty one.
    public mutating func closeWindow(now: UInt64) -> TrafficWindow {
        let w = current.window(from: windowStart, to: now)
        current.reset()
        windowStart = now
        return w
    }

    /// Figures for the whole run, from its start to `now`.
    public func cumulative(now: UInt64) -> TrafficWindow {
        total.window(from: runStart, to: now)
    }
}
