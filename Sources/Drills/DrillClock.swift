import Runtime
import Supervision
import Traffic

/// Puts the load generator's samples on the stack's clock, as the drill tracker reads them.
///
/// Samples are stamped in nanoseconds of the monotonic clock (`NIODeadline` uptime, which on
/// Linux is CLOCK_MONOTONIC, as TrafficTests checks); events are ms since launch on the
/// stack's `Stopwatch` (CLOCK_MONOTONIC too). So a sample's time on the stack's clock is its
/// nanoseconds minus the Stopwatch's start, in whole ms (rounded down, like `elapsedMs`).
public struct DrillClock: Sendable {
    /// The stack's start, in CLOCK_MONOTONIC nanoseconds.
    public let startNs: UInt64

    public init(stack: Stopwatch) { startNs = stack.startNs }
    public init(startNs: UInt64) { self.startNs = startNs }

    /// ms since launch of a monotonic time in ns (negative before the launch).
    public func ms(_ nanos: UInt64) -> Int {
        let delta = Int64(bitPattern: nanos &- startNs)
        return Int(delta >= 0 ? delta / 1_000_000 : (delta - 999_999) / 1_000_000)
    }

    /// The tracker's view of one sample.
    public func request(_ sample: LoadSample) -> DrillRequest {
        DrillRequest(
            tMs: ms(sample.completedNanos), scheduledMs: ms(sample.scheduledNanos), status: sample.status,
            error: sample.errorKind?.rawValue, workerPid: sample.workerPid, path: sample.path,
            appVersion: sample.appVersion)
    }
}
