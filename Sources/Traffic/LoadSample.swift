import Supervision

/// One request the load generator scheduled, and how it ended.
///
/// Times are nanoseconds of the monotonic clock (`NIODeadline.now().uptimeNanoseconds`, which is
/// `DispatchTime`'s). Latency runs from the time the request was *scheduled* (not sent), so a
/// stalled stack shows up as latency, never as silence.
public struct LoadSample: Sendable, Equatable {
    /// When the request was due, on the monotonic clock.
    public var scheduledNanos: UInt64
    /// From the scheduled time to the end of the response (or to the error).
    public var latencyNanos: UInt64
    /// Part of the latency the request spent waiting for a free connection.
    public var waitNanos: UInt64
    /// The HTTP status, or why there is none.
    public var outcome: LoadOutcome
    /// The `X-Worker-Pid` response header, when present and numeric.
    public var workerPid: Int32?
    /// The request path (from the topology's mix).
    public var path: String
    /// The `X-App-Version` response header (the demo app's version), when present and numeric.
    public var appVersion: Int32?

    public init(
        scheduledNanos: UInt64, latencyNanos: UInt64, waitNanos: UInt64 = 0,
        outcome: LoadOutcome, workerPid: Int32? = nil, path: String = "/", appVersion: Int32? = nil
    ) {
        self.appVersion = appVersion
        self.scheduledNanos = scheduledNanos
        self.latencyNanos = latencyNanos
        self.waitNanos = waitNanos
        self.outcome = outcome
        self.workerPid = workerPid
        self.path = path
    }

    /// When the request ended, on the monotonic clock.
    public var completedNanos: UInt64 { scheduledNanos &+ latencyNanos }

    /// The HTTP status, if a response came.
    public var status: Int? {
        if case .status(let s) = outcome { return s }
        return nil
    }

    /// The error kind, if no response came.
    public var errorKind: LoadErrorKind? {
        if case .error(let e) = outcome { return e }
        return nil
    }
}

/// How a request ended: a response with a status, or an error of some kind.
public enum LoadOutcome: Sendable, Equatable, Hashable {
    case status(Int)
    case error(LoadErrorKind)
}
