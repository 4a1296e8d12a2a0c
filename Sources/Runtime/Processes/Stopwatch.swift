import Glibc

/// Milliseconds since it was started, on the monotonic clock (immune to wall-clock changes).
public struct Stopwatch: Sendable {
    /// Start, in nanoseconds of CLOCK_MONOTONIC.
    public let startNs: UInt64

    public init() { startNs = Stopwatch.nowNs() }

    public var elapsedMs: Int { Int((Stopwatch.nowNs() &- startNs) / 1_000_000) }
    public var elapsedNs: UInt64 { Stopwatch.nowNs() &- startNs }

    /// CLOCK_MONOTONIC in nanoseconds.
    public static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Blocks the calling thread for `ms` milliseconds (resumes after signals).
    public static func sleep(ms: Int) {
        guard ms > 0 else { return }
        var req = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
        var rem = timespec()
        while nanosleep(&req, &rem) < 0 && errno == EINTR { req = rem }
    }
}
