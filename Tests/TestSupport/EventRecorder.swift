import Foundation
import Supervision

/// Collects a stack's events from any thread (the watcher's, the launcher's, the test's), in the
/// order they were sent: give `sink` to the launcher or watcher, read `all` from the test.
public final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StackEvent] = []

    public init() {}

    /// Every event so far.
    public var all: [StackEvent] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }

    /// The closure to hand out as an event sink.
    public var sink: @Sendable (StackEvent) -> Void {
        { e in
            self.lock.lock()
            self.items.append(e)
            self.lock.unlock()
        }
    }
}
