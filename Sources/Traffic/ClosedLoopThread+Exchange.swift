#if canImport(Glibc)
    import Glibc
#endif
import CLinux
import Supervision

/// A closed-loop connection's life on its thread: connect, send, read and parse, close and
/// reconnect. Every step is for connection `i` of `connections` only.
extension ClosedLoopThread {
    /// The epoll key of connection `i`: its index and the generation of its current socket (an
    /// event for a socket already replaced is ignored).
    private func key(_ i: Int) -> UInt64 { UInt64(connections[i].generation) << 32 | UInt64(i) }

    private func poll(_ i: Int, _ op: Int32, output: Bool) -> Bool {
        var event = epoll_event()
        event.events = output ? EPOLLIN.rawValue | EPOLLOUT.rawValue : EPOLLIN.rawValue
        event.data.u64 = key(i)
        return epoll_ctl(epoll, op, connections[i].fd, &event) == 0
    }

    mutating func handle(_ i: Int, generation: UInt32, _ events: UInt32) {
        guard i < connections.count, connections[i].generation == generation else { return }
        switch connections[i].phase {
        case .connecting:
            let error = Errno.pendingError(of: connections[i].fd)
            let now = monotonicNanos()
            guard error == 0 else { return connectFailed(i, error, now: now) }
            connections[i].phase = .open
            guard poll(i, EPOLL_CTL_MOD, output: false) else { return closed(i, error: .other) }
            _ = sendNext(i, now: now)
        case .open:
            if events & EPOLLOUT.rawValue != 0, let pending = connections[i].partialSend {
                guard write(i, request: pending.index, from: pending.sent) else { return }
            }
            if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readable(i) }
        case .waiting, .finished:
            break
        }
    }

    /// Starts connecting connection `i` (a new socket, registered with the epoll instance).
    mutating func connect(_ i: Int, now: UInt64) {
        connections[i].generation &+= 1
        switch address.connect() {
        case .failure(let error):
            connectFailed(i, error.code, now: now)
        case .success(let (fd, connected)):
            connections[i].fd = fd
            connections[i].phase = connected ? .open : .connecting
            guard poll(i, EPOLL_CTL_ADD, output: !connected) else { return connectFailed(i, errno, now: now) }
            if connected { _ = sendNext(i, now: now) }
        }
    }

    /// Counts a failed connect and tries again in `retryNanos`, or finishes past the deadline.
    private mutating func connectFailed(_ i: Int, _ code: Int32, now: UInt64) {
        if connections[i].fd >= 0 { close(connections[i].fd) }
        connections[i].fd = -1
        partial.byError[LoadErrorKind.classify(errno: code), default: 0] += 1
        guard now < deadline else { return finish(i) }
        let retryAt = now + Self.retryNanos
        connections[i].phase = .waiting(retryAt: retryAt)
        nextTimer = min(nextTimer, retryAt)
    }

    /// Sends the next request of the mix; past the deadline finishes instead. False when the
    /// connection did not stay open.
    private mutating func sendNext(_ i: Int, now: UInt64) -> Bool {
        guard now < deadline else {
            finish(i)
            return false
        }
        connections[i].sentAt = now
        connections[i].inFlight = true
        return write(i, request: mix.nextIndex(), from: 0)
    }

    /// Sends request `index` from byte `sent` on; what the socket does not take now waits for it
    /// to poll writable. False when the send failed (the connection was closed).
    private mutating func write(_ i: Int, request index: Int, from sent: Int) -> Bool {
        let start = requestStarts[index] + sent
        let count = requestStarts[index + 1] - start
        let n = send(connections[i].fd, wire + start, count, Int32(MSG_NOSIGNAL))
        if n == count {
            if connections[i].partialSend != nil {
                connections[i].partialSend = nil
                guard poll(i, EPOLL_CTL_MOD, output: false) else { closed(i, error: .other); return false }
            }
            return true
        }
        let code = errno
        guard n >= 0 || code == EAGAIN || code == EWOULDBLOCK || code == EINTR else {
            closed(i, error: LoadErrorKind.classify(errno: code))
            return false
        }
        if connections[i].partialSend == nil {
            guard poll(i, EPOLL_CTL_MOD, output: true) else { closed(i, error: .other); return false }
        }
        connections[i].partialSend = (index, sent + max(0, n))
        return true
    }

    /// Reads once into the connection's buffer after the bytes kept from before, and parses.
    private mutating func readable(_ i: Int) {
        let buffer = buffers + i * Self.bufferSize
        let kept = connections[i].kept
        let n = read(connections[i].fd, buffer + kept, Self.bufferSize - kept)
        if n > 0 { return received(i, buffer, count: kept + n) }
        if n == 0 { return endOfInput(i) }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
        closed(i, error: LoadErrorKind.classify(errno: code))
    }

    /// Parses the first `count` bytes of `buffer`, counting each response that ends, and keeps an
    /// unfinished line at the buffer's start for the next read.
    private mutating func received(_ i: Int, _ buffer: UnsafeMutableRawPointer, count: Int) {
        var at = 0
        do {
            while true {
                let (used, response) = try connections[i].parser.parse(
                    UnsafeRawBufferPointer(start: buffer + at, count: count - at))
                at += used
                guard let response else { break }
                guard responded(i, response) else { return }
            }
        } catch {
            return closed(i, error: (error as? HTTPResponseParseError)?.kind ?? .other)
        }
        let rest = count - at
        if rest > 0 && at > 0 { memmove(buffer, buffer + at, rest) }
        connections[i].kept = rest
    }

    /// Counts a response and sends the next request. False when the connection did not stay open.
    private mutating func responded(_ i: Int, _ response: ParsedResponse) -> Bool {
        guard connections[i].inFlight else { return true }  // bytes nobody asked for are read and dropped
        let now = monotonicNanos()
        connections[i].inFlight = false
        partial.responses += 1
        if response.status != runStatus {
            if runCount > 0 { partial.byStatus[runStatus, default: 0] += runCount }
            runStatus = response.status
            runCount = 0
        }
        runCount += 1
        _ = partial.latency.record(max(1, (now &- connections[i].sentAt) / 1000))
        guard response.keepAlive else {
            closed(i, error: nil)
            return false
        }
        return sendNext(i, now: now)
    }

    /// The server closed: that ends a body delimited by the close, or cuts a response short.
    private mutating func endOfInput(_ i: Int) {
        do {
            if let response = try connections[i].parser.endOfInput() {
                _ = responded(i, response)  // not keep-alive: closes and reconnects
                return
            }
            closed(i, error: nil)
        } catch {
            closed(i, error: (error as? HTTPResponseParseError)?.kind ?? .other)
        }
    }

    /// Closes connection `i`, counting the request in flight as `error` (reset when nil), and
    /// connects again before the deadline (finishes after it).
    private mutating func closed(_ i: Int, error: LoadErrorKind?) {
        if connections[i].inFlight { partial.byError[error ?? .reset, default: 0] += 1 }
        if connections[i].fd >= 0 { close(connections[i].fd) }
        connections[i].fd = -1
        connections[i].inFlight = false
        connections[i].parser = HTTPResponseParser()
        connections[i].kept = 0
        connections[i].partialSend = nil
        let now = monotonicNanos()
        if now < deadline { connect(i, now: now) } else { finish(i) }
    }
}
