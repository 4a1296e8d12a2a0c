import NIOCore
import NIOPosix
import Supervision

/// The open-loop engine behind `LoadGenerator`: it puts requests on a clock at `rate` per
/// second, hands each to an idle keep-alive connection (or queues it, or opens a connection),
/// and reports every request exactly once as a `LoadSample`.
///
/// Confined to one event loop: every method runs there.
final class OpenLoopScheduler: ExchangeOwner {
    /// A request that is due: queued, or in flight on a connection.
    struct Pending {
        var scheduled: UInt64
        var pathIndex: Int
        var sent: UInt64 = 0
    }

    enum SlotState {
        case connecting, idle, busy(Pending), closing
    }

    struct Slot {
        var state: SlotState = .connecting
        var handler: ExchangeHandler?
        var channel: Channel?
    }

    let loop: EventLoop
    let address: SocketAddress
    let settings: LoadSettings
    let onSample: @Sendable (LoadSample) -> Void
    private let requests: EncodedRequests
    private var mix: RequestMix
    private var slots: [Int: Slot] = [:]
    private var idle: [Int] = []
    private var connecting = 0
    private var nextID = 0
    private var queue = CircularBuffer<Pending>()
    private var rate = 0
    private var anchor: UInt64 = 0
    private var emitted: UInt64 = 0
    private var paused = false
    private var remaining: Int?
    private var running = false
    private var stopped = false
    private var tickTask: Scheduled<Void>?
    private var closeFutures: [EventLoopFuture<Void>] = []

    init(
        loop: EventLoop, address: SocketAddress, authority: String, mix: RequestMix,
        settings: LoadSettings, onSample: @escaping @Sendable (LoadSample) -> Void
    ) {
        self.loop = loop
        self.address = address
        self.settings = settings
        self.onSample = onSample
        self.mix = mix
        requests = EncodedRequests(paths: mix.paths, authority: authority)
    }

    private var now: UInt64 { NIODeadline.now().uptimeNanoseconds }
    private var interval: UInt64 { 1_000_000_000 / UInt64(max(rate, 1)) }
    private var nextDue: UInt64 { anchor &+ emitted &* interval }

    // MARK: commands (from LoadGenerator)

    func start(rate: Int, requests: Int?) {
        guard !stopped else { return }
        self.rate = LoadSettings.clamp(rate)
        remaining = requests.map { max(0, $0) }
        anchor = now
        emitted = 0
        if !running { running = true; tick() }
    }

    func setRate(_ newRate: Int) {
        let r = LoadSettings.clamp(newRate)
        guard r != rate else { return }
        let due = nextDue
        rate = r
        anchor = max(due, now)
        emitted = 0
    }

    func setPaused(_ p: Bool) {
        guard p != paused else { return }
        paused = p
        if !p { anchor = now; emitted = 0 }
    }

    func status() -> LoadGeneratorStatus {
        var busy = 0
        for s in slots.values { if case .busy = s.state { busy += 1 } }
        return LoadGeneratorStatus(
            rate: rate, paused: paused, running: running && !stopped,
            connections: slots.count, busy: busy, queued: queue.count)
    }

    /// Ends every pending request as cancelled, closes every connection; the future completes
    /// when all are closed.
    func stop() -> EventLoopFuture<Void> {
        guard !stopped else { return EventLoopFuture.andAllComplete(closeFutures, on: loop) }
        stopped = true
        tickTask?.cancel()
        let t = now
        while let p = queue.popFirst() { emit(p, .error(.cancelled), at: t) }
        for (id, slot) in slots {
            if case .busy(let p) = slot.state { emit(p, .error(.cancelled), at: t) }
            slots[id]?.state = .closing
            if let ch = slot.channel {
                closeFutures.append(ch.closeFuture)
                ch.close(promise: nil)
            }
        }
        idle.removeAll()
        return EventLoopFuture.andAllComplete(closeFutures, on: loop)
    }

    // MARK: the clock

    private func tick() {
        guard !stopped else { return }
        let t = now
        if !paused && rate > 0 {
            while nextDue <= t, remaining != 0 {
                enqueue(Pending(scheduled: nextDue, pathIndex: mix.nextIndex()), at: t)
                emitted += 1
                if let r = remaining { remaining = r - 1 }
            }
        }
        expire(at: t)
        pump()
        let poll = t &+ settings.pollNanos
        let next = (paused || rate == 0 || remaining == 0) ? poll : min(nextDue, poll)
        tickTask = loop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(next)) { [weak self] in
            self?.tick()
        }
    }

    private func enqueue(_ p: Pending, at t: UInt64) {
        if queue.count >= settings.maxQueued {
            emit(p, .error(.overflow), at: t)
        } else {
            queue.append(p)
        }
    }

    /// Times out queued and in-flight requests whose deadline (scheduled + timeout) has passed.
    private func expire(at t: UInt64) {
        let timeout = settings.timeoutNanos
        while let head = queue.first, head.scheduled &+ timeout <= t {
            queue.removeFirst()
            emit(head, .error(.timeout), at: t)
        }
        for (id, slot) in slots {
            guard case .busy(let p) = slot.state, p.scheduled &+ timeout <= t else { continue }
            emit(p, .error(.timeout), at: t)
            slots[id]?.state = .closing
            slot.handler?.abandon()
        }
    }

    // MARK: connections

    /// Sends queued requests on idle connections and opens connections for the rest.
    private func pump() {
        guard !stopped else { return }
        while !queue.isEmpty, let id = idle.popLast() {
            guard var slot = slots[id], case .idle = slot.state, let handler = slot.handler else { continue }
            var p = queue.removeFirst()
            p.sent = now
            slot.state = .busy(p)
            slots[id] = slot
            handler.send(requests[p.pathIndex])
        }
        let wanted = min(queue.count - connecting, settings.maxConnections - slots.count)
        if wanted > 0 { for _ in 0..<wanted { connect() } }
    }

    private func connect() {
        let id = nextID
        nextID += 1
        slots[id] = Slot()
        connecting += 1
        let box = NIOLoopBound(self, eventLoop: loop)
        ClientBootstrap(group: loop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let me = box.value
                    let handler = ExchangeHandler(id: id, owner: me)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    me.slots[id]?.handler = handler
                }
            }
            .connect(to: address)
            .assumeIsolated()
            .whenComplete { [weak self] result in self?.connected(id, result) }
    }

    private func connected(_ id: Int, _ result: Result<Channel, Error>) {
        connecting -= 1
        switch result {
        case .success(let channel):
            guard !stopped, slots[id] != nil else {
                closeFutures.append(channel.closeFuture)
                channel.close(promise: nil)
                return
            }
            slots[id]?.channel = channel
            slots[id]?.state = .idle
            idle.append(id)
        case .failure(let error):
            slots[id] = nil
            // One failed connect ends the oldest waiting request with the reason.
            if !stopped, let p = queue.popFirst() { emit(p, .error(LoadErrorKind.classify(error)), at: now) }
        }
        pump()
    }

    func exchangeResponded(_ id: Int, _ response: ParsedResponse) {
        guard let slot = slots[id], case .busy(let p) = slot.state else { return }
        let keepAlive = response.keepAlive
        emit(p, .status(response.status), workerPid: response.workerPid, appVersion: response.appVersion, at: now)
        slots[id]?.state = keepAlive ? .idle : .closing
        if keepAlive { idle.append(id) }
        pump()
    }

    func exchangeClosed(_ id: Int, inFlightError kind: LoadErrorKind?) {
        guard let slot = slots.removeValue(forKey: id) else { return }
        if case .busy(let p) = slot.state { emit(p, .error(kind ?? .reset), at: now) }
        idle.removeAll { $0 == id }
        pump()
    }

    private func emit(
        _ p: Pending, _ outcome: LoadOutcome, workerPid: Int32? = nil, appVersion: Int32? = nil, at t: UInt64
    ) {
        let latency = t >= p.scheduled ? t - p.scheduled : 0
        let wait = p.sent >= p.scheduled ? p.sent - p.scheduled : latency
        onSample(
            LoadSample(
                scheduledNanos: p.scheduled, latencyNanos: latency, waitNanos: wait,
                outcome: outcome, workerPid: workerPid, path: mix.paths[p.pathIndex], appVersion: appVersion))
    }
}
