/// A tally kept twice, for the current window and for the whole run: the bookkeeping that
/// `TrafficStats` (load samples) and `AccessLogStats` (access log lines) share.
protocol Tally: Sendable {
    associatedtype Window
    init()
    mutating func reset()
    func window(from start: UInt64, to end: UInt64) -> Window
}

extension TrafficTally: Tally {}
extension AccessLogTally: Tally {}

/// The current window and the run of one `Tally`; times are monotonic nanoseconds.
struct WindowedTally<T: Tally>: Sendable {
    private var current = T()
    private var total = T()
    private let runStart: UInt64
    private var windowStart: UInt64

    init(startNanos: UInt64) {
        runStart = startNanos
        windowStart = startNanos
    }

    /// Applies `add` to the current window and to the run.
    mutating func add(_ add: (inout T) -> Void) {
        add(&current)
        add(&total)
    }

    /// The current window so far (from its start to `now`), without closing it.
    func currentWindow(now: UInt64) -> T.Window { current.window(from: windowStart, to: now) }

    /// Ends the current window at `now`, returns its figures and starts a new, empty one.
    mutating func closeWindow(now: UInt64) -> T.Window {
        let w = current.window(from: windowStart, to: now)
        current.reset()
        windowStart = now
        return w
    }

    /// Figures for the whole run, from its start to `now`.
    func cumulative(now: UInt64) -> T.Window { total.window(from: runStart, to: now) }
}
