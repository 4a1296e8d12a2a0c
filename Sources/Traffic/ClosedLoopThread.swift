#if canImport(Glibc)
    import Glibc
#endif
import CLinux
import Supervision

/// One thread of a closed-loop run: its keep-alive connections on one epoll instance
/// (level-triggered; the socket stays registered for input, so a request costs one `send` and
/// one `read` and no `epoll_ctl`), each sending its next request as soon as the previous
/// response ends, until the deadline. Reconnects when the server closes, 10 ms after a failed
/// connect. A request still unanswered `timeout` after the deadline counts as a timeout.
///
/// All its state is local to the thread that runs it: a struct mutated in place, so no runtime
/// exclusivity checks, no reference counting and no allocation per request. Every socket and the
/// epoll instance are closed and the memory freed before `run` returns.
struct ClosedLoopThread {
    /// Bytes of each connection's read buffer: the longest head the parser accepts (an unfinished
    /// line is kept at the start of the buffer) plus room for a read.
    static let bufferSize = HTTPResponseParser.maxHeadBytes + 16 * 1024
    /// The pause before connecting again after a connect failed.
    static let retryNanos: UInt64 = 10_000_000
    static let maxEvents: Int32 = 64

    let address: LoopbackSocketAddress
    let deadline: UInt64
    /// The deadline plus the timeout: requests still in flight then are timeouts.
    let endOfGrace: UInt64
    var mix: RequestMix
    /// Every request of the mix, encoded, back to back; `requestStarts[i]..<requestStarts[i + 1]`.
    let wire: UnsafeMutableRawPointer
    let requestStarts: [Int]
    /// The connections' read buffers, `bufferSize` bytes each.
    let buffers: UnsafeMutableRawPointer
    var connections: [ClosedLoopConnection]
    var epoll: Int32 = -1
    var partial = ClosedLoopPartial()
    /// Responses of one status in a row, added to `partial.byStatus` when the status changes.
    var runStatus = 0
    var runCount = 0
    /// Connections not finished.
    var active: Int
    /// When `timers` must run next: a retry falls due, the deadline, or the end of the grace.
    var nextTimer: UInt64

    /// Runs `connections` connections to `address` until `deadline` (monotonic nanoseconds) and
    /// returns what they measured.
    static func run(
        address: LoopbackSocketAddress, requests: WireRequests, mix: RequestMix, connections: Int,
        deadline: UInt64, timeoutNanos: UInt64
    ) -> ClosedLoopPartial {
        var thread = ClosedLoopThread(
            address: address, requests: requests, mix: mix, connections: connections, deadline: deadline,
            timeoutNanos: timeoutNanos)
        thread.loop()
        thread.release()
        return thread.partial
    }

    private init(
        address: LoopbackSocketAddress, requests: WireRequests, mix: RequestMix, connections: Int,
        deadline: UInt64, timeoutNanos: UInt64
    ) {
        self.address = address
        self.deadline = deadline
        endOfGrace = deadline &+ timeoutNanos
        self.mix = mix
        let wire = UnsafeMutableRawPointer.allocate(byteCount: max(1, requests.bytes.count), alignment: 16)
        requests.bytes.withUnsafeBytes { bytes in
            if let from = bytes.baseAddress { wire.copyMemory(from: from, byteCount: bytes.count) }
        }
        self.wire = wire
        requestStarts = requests.starts
        buffers = UnsafeMutableRawPointer.allocate(byteCount: connections * Self.bufferSize, alignment: 64)
        self.connections = Array(repeating: ClosedLoopConnection(), count: connections)
        active = connections
        nextTimer = 0
    }

    private mutating func loop() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else {
            partial.byError[LoadErrorKind.classify(errno: errno), default: 0] += connections.count
            return
        }
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(Self.maxEvents))
        defer { events.deallocate() }
        let start = monotonicNanos()
        nextTimer = deadline
        for i in connections.indices { connect(i, now: start) }
        while active > 0 {
            let now = monotonicNanos()
            if now >= nextTimer {
                timers(now: now)
                if active == 0 { break }
            }
            let waitMs = nextTimer > now ? Int32(min((nextTimer - now + 999_999) / 1_000_000, 60_000)) : 0
            let n = epoll_wait(epoll, events, Self.maxEvents, waitMs)
            if n < 0 {
                if errno == EINTR { continue }
                break  // cannot happen with a valid epoll fd and buffer; the grace ends nothing then
            }
            for k in 0..<Int(n) {
                let key = events[k].data.u64
                handle(Int(truncatingIfNeeded: key & 0xFFFF_FFFF), generation: UInt32(key >> 32), events[k].events)
            }
        }
    }

    /// Retries connects that fall due; at the deadline finishes every connection without a request
    /// in flight; at the end of the grace counts the ones left as timeouts and finishes them.
    private mutating func timers(now: UInt64) {
        if now >= endOfGrace {
            for i in connections.indices where connections[i].phase != .finished {
                if connections[i].inFlight { partial.byError[.timeout, default: 0] += 1 }
                finish(i)
            }
            return
        }
        if now >= deadline {
            for i in connections.indices where connections[i].phase != .finished && !connections[i].inFlight {
                finish(i)
            }
            nextTimer = endOfGrace
            return
        }
        nextTimer = deadline
        for i in connections.indices {
            guard case .waiting(let retryAt) = connections[i].phase else { continue }
            if retryAt <= now {
                connect(i, now: now)
            } else {
                nextTimer = min(nextTimer, retryAt)
            }
        }
    }

    /// Closes connection `i` for good.
    mutating func finish(_ i: Int) {
        guard connections[i].phase != .finished else { return }
        if connections[i].fd >= 0 { close(connections[i].fd) }
        connections[i].fd = -1
        connections[i].inFlight = false
        connections[i].phase = .finished
        active -= 1
    }

    private mutating func release() {
        for i in connections.indices { finish(i) }
        if epoll >= 0 { close(epoll) }
        epoll = -1
        if runCount > 0 { partial.byStatus[runStatus, default: 0] += runCount }
        runCount = 0
        wire.deallocate()
        buffers.deallocate()
    }
}

/// The requests of a mix as bytes to send: request `i` is `bytes[starts[i]..<starts[i + 1]]`.
struct WireRequests: Sendable {
    let bytes: [UInt8]
    let starts: [Int]

    init(_ requests: EncodedRequests) {
        var bytes: [UInt8] = []
        var starts = [0]
        for i in 0..<requests.count {
            bytes += requests[i].readableBytesView
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }
}
