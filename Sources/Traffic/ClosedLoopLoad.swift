import Histogram
import NIOCore
import StackModel
import Supervision
import Synchronization

/// Closed-loop maximum load for benchmarks: N keep-alive connections, each sending its next
/// request as soon as the previous response ends (like `wrk`), for a fixed duration.
///
/// Not for watching a stack (a closed loop slows down with the server and hides stalls: use
/// `LoadGenerator`); for measuring how fast the client and the server can go. Runs on plain
/// threads, each with its own epoll loop (`ClosedLoopThread`), not on SwiftNIO: the client's
/// own CPU per response is what the benchmark compares with wrk's.
public enum ClosedLoopLoad {
    /// Runs `connections` connections spread over `threads` threads against `url` for
    /// `duration`, and returns what they measured. A request still unanswered `timeout` after
    /// the end of `duration` counts as a timeout; connects that fail count by their error and
    /// are retried every 10 ms until the end.
    public static func run(
        url: String, mix: [WeightedPath] = [WeightedPath(path: "/", weight: 1)],
        connections: Int = 32, threads: Int = 2, duration: TimeAmount,
        timeout: TimeAmount = .seconds(5)
    ) async throws -> ClosedLoopResult {
        let target = try LoopbackTarget(url: url)
        let address = try LoopbackSocketAddress(target)
        let requestMix = RequestMix(mix)
        let requests = WireRequests(EncodedRequests(paths: requestMix.paths, authority: target.authority))
        let connections = max(1, connections)
        let threads = min(max(1, threads), connections)
        let timeoutNanos = UInt64(max(0, timeout.nanoseconds))
        let start = monotonicNanos()
        let deadline = start + UInt64(max(0, duration.nanoseconds))
        let partials = Mutex<[ClosedLoopPartial]>([])
        // Connection k runs on thread k % threads, as an event loop group hands out its loops.
        let bodies: [@Sendable () -> Void] = (0..<threads).map { t in
            let count = connections / threads + (t < connections % threads ? 1 : 0)
            return {
                let partial = ClosedLoopThread.run(
                    address: address, requests: requests, mix: requestMix, connections: count,
                    deadline: deadline, timeoutNanos: timeoutNanos)
                partials.withLock { $0.append(partial) }
            }
        }
        await PlainThreads.run(name: "stacktop-load", bodies)
        var result = ClosedLoopResult()
        for p in partials.withLock({ $0 }) {
            result.latency.add(p.latency)
            result.responses += p.responses
            result.byStatus.merge(p.byStatus, uniquingKeysWith: +)
            result.byError.merge(p.byError, uniquingKeysWith: +)
        }
        result.seconds = Double(monotonicNanos() - start) / 1e9
        return result
    }
}

/// What a closed-loop run measured.
public struct ClosedLoopResult: Sendable {
    var latency = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: .three)
    /// Responses of any status.
    public var responses = 0
    public var byStatus: [Int: Int] = [:]
    public var byError: [LoadErrorKind: Int] = [:]
    /// Wall time of the run, from the first connect to the last connection's end.
    public var seconds = 0.0

    /// Responses per second.
    public var rps: Double { seconds > 0 ? Double(responses) / seconds : 0 }
    /// Latency percentile (send to response end) in milliseconds.
    public func latencyMs(percentile p: Double) -> Double { Double(latency.valueAtPercentile(p)) / 1000 }
    public var meanLatencyMs: Double { latency.mean / 1000 }
}
