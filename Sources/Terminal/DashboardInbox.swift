import Dashboard
import Synchronization

/// Where other threads and tasks post messages for the dashboard; the curses thread drains it.
///
/// Closing it tells the loop the wiring is finished (the stack stopped): the loop then exits.
public final class DashboardInbox: Sendable {
    private let state = Mutex<(messages: [Message], closed: Bool)>(([], false))

    public init() {}

    /// Posts a message; ignored after `close()`.
    public func send(_ message: Message) {
        state.withLock { if !$0.closed { $0.messages.append(message) } }
    }

    /// Ends the loop after it drew what was posted before.
    public func close() {
        state.withLock { $0.closed = true }
    }

    /// Takes every posted message, and whether the inbox is closed.
    func drain() -> (messages: [Message], closed: Bool) {
        state.withLock { s in
            defer { s.messages.removeAll(keepingCapacity: true) }
            return (s.messages, s.closed)
        }
    }
}
