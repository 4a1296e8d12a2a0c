import Histogram
import NIOCore
import NIOPosix
import Supervision

/// What one closed-loop connection measured.
struct ClosedLoopPartial: Sendable {
    var latency = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: .three)
    var responses = 0
    var byStatus: [Int: Int] = [:]
    var byError: [LoadErrorKind: Int] = [:]
}

/// One connection of a closed-loop run: sends the next request as soon as the previous response
/// ends, until the deadline; reconnects when the server closes. Confined to its event loop, where
/// no access to a property overlaps another: the runtime exclusivity checks are turned off
/// (`@exclusivity(unchecked)`), as in `ExchangeHandler`.
final class ClosedLoopConnection: ExchangeOwner {
    private let loop: EventLoop
    private let address: SocketAddress
    private let requests: EncodedRequests
    @exclusivity(unchecked) private var mix: RequestMix
    private let deadline: UInt64
    private let timeout: TimeAmount
    private let promise: EventLoopPromise<ClosedLoopPartial>
    @exclusivity(unchecked) private var handler: ExchangeHandler?
    @exclusivity(unchecked) private var channel: Channel?
    @exclusivity(unchecked) private var sentAt: UInt64 = 0
    @exclusivity(unchecked) private var inFlight = false
    @exclusivity(unchecked) private var done = false
    @exclusivity(unchecked) private var nextID = 0
    @exclusivity(unchecked) private var partial = ClosedLoopPartial()
    /// Responses of one status in a row, added to `partial.byStatus` when the status changes
    /// (a dictionary update per response costs more than the rest of the bookkeeping).
    @exclusivity(unchecked) private var runStatus = 0
    @exclusivity(unchecked) private var runCount = 0

    init(
        loop: EventLoop, address: SocketAddress, requests: EncodedRequests, mix: RequestMix,
        deadline: UInt64, timeout: TimeAmount
    ) {
        self.loop = loop
        self.address = address
        self.requests = requests
        self.mix = mix
        self.deadline = deadline
        self.timeout = timeout
        promise = loop.makePromise()
    }

    private var now: UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// Starts the loop; the future completes after the deadline with what was measured.
    func run() -> EventLoopFuture<ClosedLoopPartial> {
        connect()
        // A request still unanswered `timeout` after the deadline ends the run as a timeout.
        loop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(deadline) + timeout) { [self] in
            if inFlight { partial.byError[.timeout, default: 0] += 1; inFlight = false }
            finish()
        }
        return promise.futureResult
    }

    private func connect() {
        nextID += 1
        let id = nextID
        let box = NIOLoopBound(self, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let me = box.value
                    let h = ExchangeHandler(id: id, owner: me)
                    try channel.pipeline.syncOperations.addHandler(h)
                    me.handler = h
                }
            }
            .connect(to: address)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let ch):
                    channel = ch
                    if done { ch.close(promise: nil) } else { sendNext() }
                case .failure(let error):
                    partial.byError[LoadErrorKind.classify(error), default: 0] += 1
                    if now < deadline && !done {
                        loop.assumeIsolated().scheduleTask(in: .milliseconds(10)) { [self] in connect() }
                    } else {
                        finish()
                    }
                }
            }
    }

    private func sendNext() {
        guard !done, let handler else { return }
        let t = now
        guard t < deadline else { finish(); return }
        sentAt = t
        inFlight = true
        handler.send(requests[mix.nextIndex()])
    }

    func exchangeResponded(_ id: Int, _ response: ParsedResponse) {
        guard id == nextID, inFlight else { return }
        let status = response.status, keepAlive = response.keepAlive
        inFlight = false
        let t = now
        partial.responses += 1
        if status != runStatus { tallyStatusRun(); runStatus = status }
        runCount += 1
        _ = partial.latency.record(max(1, (t &- sentAt) / 1000))
        if keepAlive { sendNext() }
    }

    func exchangeClosed(_ id: Int, inFlightError kind: LoadErrorKind?) {
        guard id == nextID else { return }
        if let kind, inFlight { partial.byError[kind, default: 0] += 1 }
        inFlight = false
        handler = nil
        channel = nil
        if !done && now < deadline { connect() } else { finish() }
    }

    private func tallyStatusRun() {
        if runCount > 0 { partial.byStatus[runStatus, default: 0] += runCount }
        runCount = 0
    }

    private func finish() {
        guard !done else { return }
        done = true
        tallyStatusRun()
        channel?.close(promise: nil)
        promise.succeed(partial)
    }
}
