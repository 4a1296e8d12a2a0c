import Histogram
import NIOCore
import NIOPosix
import StackModel
import Supervision

/// Closed-loop maximum load for benchmarks: N keep-alive connections, each sending its next
/// request as soon as the previous response ends (like `wrk`), for a fixed duration.
///
/// Not for watching a stack (a closed loop slows down with the server and hides stalls: use
/// `LoadGenerator`); for measuring how fast the client and the server can go.
public enum ClosedLoopLoad {
    /// Runs `connections` connections spread over `threads` event loops against `url` for
    /// `duration`, and returns what they measured.
    public static func run(
        url: String, mix: [WeightedPath] = [WeightedPath(path: "/", weight: 1)],
        connections: Int = 32, threads: Int = 2, duration: TimeAmount,
        timeout: TimeAmount = .seconds(5)
    ) async throws -> ClosedLoopResult {
        let target = try LoopbackTarget(url: url)
        let address = try SocketAddress(ipAddress: target.host, port: target.port)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let requestMix = RequestMix(mix)
        let requests = EncodedRequests(paths: requestMix.paths, authority: target.authority)
        let start = NIODeadline.now().uptimeNanoseconds
        let deadline = start + UInt64(max(0, duration.nanoseconds))
        var futures: [EventLoopFuture<ClosedLoopPartial>] = []
        for _ in 0..<max(1, connections) {
            let loop = group.next()
            futures.append(
                loop.flatSubmit {
                    ClosedLoopConnection(
                        loop: loop, address: address, requests: requests, mix: requestMix,
                        deadline: deadline, timeout: timeout
                    ).run()
                })
        }
        var result = ClosedLoopResult()
        for f in futures {
            let p = try await f.get()
            result.latency.add(p.latency)
            result.responses += p.responses
            result.byStatus.merge(p.byStatus, uniquingKeysWith: +)
            result.byError.merge(p.byError, uniquingKeysWith: +)
        }
        result.seconds = Double(NIODeadline.now().uptimeNanoseconds - start) / 1e9
        try await group.shutdownGracefully()
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
