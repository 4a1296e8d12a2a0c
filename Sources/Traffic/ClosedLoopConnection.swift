import Histogram
import Supervision

/// What one closed-loop thread measured.
struct ClosedLoopPartial: Sendable {
    var latency = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: .three)
    var responses = 0
    var byStatus: [Int: Int] = [:]
    var byError: [LoadErrorKind: Int] = [:]
}

/// One keep-alive connection of a closed-loop thread: its socket, where it is in its life, the
/// response being parsed and the request in flight. Its read buffer is a fixed slice of the
/// thread's `buffers` (connection i's starts at i × `bufferSize`); `kept` bytes at its start are an unfinished
/// line carried over to the next read.
struct ClosedLoopConnection {
    enum Phase: Equatable {
        /// No socket: connect again at `retryAt` (monotonic nanoseconds).
        case waiting(retryAt: UInt64)
        /// A nonblocking connect is under way (polled for writability).
        case connecting
        /// Connected: polled for input, and for output while `unsent` bytes remain.
        case open
        /// Done for this run (past the deadline); no socket.
        case finished
    }

    var phase = Phase.waiting(retryAt: 0)
    var fd: Int32 = -1
    /// Counts the sockets this connection opened: an epoll event carries it, so an event for a
    /// socket already replaced is ignored.
    var generation: UInt32 = 0
    var parser = HTTPResponseParser()
    var kept = 0
    /// A request was sent and its response has not ended.
    var inFlight = false
    /// When the request in flight was sent (monotonic nanoseconds).
    var sentAt: UInt64 = 0
    /// The request being written when a send was short: its index in the mix and the bytes sent.
    var partialSend: (index: Int, sent: Int)?
}
