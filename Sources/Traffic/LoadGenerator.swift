import NIOCore
import NIOPosix
import StackModel

/// Sends open-loop HTTP load at a fixed rate to one loopback front door and reports every
/// request as a `LoadSample`.
///
/// Requests are put on a clock (`rate` per second) whether or not the server keeps up; latency
/// counts from the scheduled time, so a stalled stack shows as latency and timeouts, never as
/// silence (no coordinated omission). Up to `maxConnections` keep-alive connections carry them;
/// requests that find every connection busy wait in a bounded queue. `onSample` is called on the
/// generator's own event loop thread: keep it short (append to a buffer, yield to a stream).
public final class LoadGenerator: Sendable {
    public let target: LoopbackTarget
    public let settings: LoadSettings
    private let group: MultiThreadedEventLoopGroup
    private let loop: EventLoop
    private let core: NIOLoopBoundBox<OpenLoopScheduler>

    /// A generator for `url` (`http://127.0.0.1:PORT`), sending the paths of `mix` by weight.
    /// Throws for a URL that is not a loopback `http://HOST:PORT`. Nothing is sent before `start`.
    public init(
        url: String, mix: [WeightedPath] = [WeightedPath(path: "/", weight: 1)],
        settings: LoadSettings = LoadSettings(),
        onSample: @escaping @Sendable (LoadSample) -> Void
    ) throws {
        let target = try LoopbackTarget(url: url)
        let address = try SocketAddress(ipAddress: target.host, port: target.port)
        self.target = target
        self.settings = settings
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        let scheduler = OpenLoopScheduler(
            loop: loop, address: address, authority: target.authority,
            mix: RequestMix(mix), settings: settings, onSample: onSample)
        core = NIOLoopBoundBox.makeBoxSendingValue(scheduler, eventLoop: loop)
    }

    /// A generator for the topology's traffic mix (the rate is given to `start`).
    public convenience init(
        url: String, traffic: TrafficSpec, settings: LoadSettings = LoadSettings(),
        onSample: @escaping @Sendable (LoadSample) -> Void
    ) throws {
        try self.init(url: url, mix: traffic.mix, settings: settings, onSample: onSample)
    }

    /// Starts (or restarts the clock of) the load at `rate` requests per second (0...10,000);
    /// with `requests`, exactly that many are scheduled, then the clock idles.
    public func start(rate: Int, requests: Int? = nil) {
        let core = self.core
        loop.execute { core.value.start(rate: rate, requests: requests) }
    }

    /// The monotonic clock samples are stamped with, in nanoseconds.
    public static var nowNanos: UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// Changes the rate while running (clamped to 0...10,000; the clock continues from the next slot).
    public func setRate(_ rate: Int) {
        let core = self.core
        loop.execute { core.value.setRate(rate) }
    }

    /// Stops scheduling new requests; requests in flight still complete.
    public func pause() {
        let core = self.core
        loop.execute { core.value.setPaused(true) }
    }

    /// Resumes scheduling from now (the paused time is not made up for).
    public func resume() {
        let core = self.core
        loop.execute { core.value.setPaused(false) }
    }

    /// The current rate, pause state, connections and queue.
    public func status() async throws -> LoadGeneratorStatus {
        let core = self.core
        return try await loop.submit { core.value.status() }.get()
    }

    /// Ends every pending request as `cancelled` (each reported once), closes every connection
    /// and shuts the event loop down. No sample is reported after this returns.
    public func stop() async {
        let core = self.core
        let closed = loop.flatSubmit { core.value.stop() }
        _ = try? await closed.get()
        try? await group.shutdownGracefully()
    }
}
