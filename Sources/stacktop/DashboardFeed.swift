import Dashboard
import Dispatch
import Foundation
import Live
import Runtime
import Supervision
import Synchronization
import Terminal

/// Feeds the dashboard what the watcher sees: process views, CPU and memory, and new log lines,
/// from its own thread (never the curses thread), only when they changed and at most four
/// times a second.
///
/// It looks every `intervalMs` and at once when `nudge()` says something happened (an exit, a
/// spawn), but never sooner than `intervalMs` after its last post. A look compares the views
/// only when there can be news: the watcher scanned /proc since the last comparison (its scan
/// counter moved), a nudge came, or a second passed; an idle stack (one scan a second) costs
/// one comparison a second.
final class DashboardFeed: Sendable {
    private struct Sent: Sendable {
        var live: LiveStack?
        var finished = false
        var components: [ComponentView]?
        var usage: [Int32: UsageReading]?
        /// Complete log lines already posted, by component.
        var logLines: [String: Int] = [:]
        var lastLogMs = Int.min / 2
        var posts = 0
        /// The watcher's scan counter at the last comparison, and when that was.
        var scans = -1
        var comparedMs = Int.min / 2
        /// A nudge came since the last comparison.
        var nudged = false
    }

    /// The longest time between two comparisons, whatever the scan counter says.
    static let compareAtLeastMs = 1_000

    let intervalMs: Int
    let logIntervalMs: Int
    private let inbox: DashboardInbox
    private let sent = Mutex(Sent())
    private let wake = DispatchSemaphore(value: 0)
    private let ended = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(false)

    init(inbox: DashboardInbox, intervalMs: Int = 250, logIntervalMs: Int = 500) {
        self.inbox = inbox
        self.intervalMs = intervalMs
        self.logIntervalMs = logIntervalMs
    }

    /// Starts feeding from `live` (one stack per feed; ignored after `detach`).
    func attach(_ live: LiveStack) {
        let fresh = sent.withLock { s -> Bool in
            guard !s.finished, s.live == nil else { return false }
            s.live = live
            return true
        }
        guard fresh, !running.exchange(true, ordering: .sequentiallyConsistent) else { return }
        let thread = Thread { [self] in
            run()
            ended.signal()
        }
        thread.name = "stacktop.feed"
        thread.start()
    }

    /// Something happened: look soon (within the rate limit), and compare the views.
    func nudge() {
        sent.withLock { $0.nudged = true }
        wake.signal()
    }

    /// Ends the thread and waits for it; nothing is posted afterwards. Safe to call again.
    func detach() {
        sent.withLock { $0.finished = true }
        guard running.exchange(false, ordering: .sequentiallyConsistent) else { return }
        wake.signal()
        ended.wait()
    }

    /// How many times it posted views (for the report of the redraw rate).
    var posts: Int { sent.withLock { $0.posts } }

    private func run() {
        let clock = Stopwatch()
        var lastPostMs = -intervalMs
        while true {
            _ = wake.wait(timeout: .now() + .milliseconds(intervalMs))
            let (live, finished) = sent.withLock { ($0.live, $0.finished) }
            guard !finished, let live else { return }
            let early = intervalMs - (clock.elapsedMs - lastPostMs)
            if early > 0 { Stopwatch.sleep(ms: early) }
            if sent.withLock({ $0.finished }) { return }
            lastPostMs = clock.elapsedMs
            post(live, nowMs: lastPostMs)
        }
    }

    /// Posts whatever changed since the last post.
    private func post(_ live: LiveStack, nowMs: Int) {
        let snapshot = live.snapshot()
        let compare = sent.withLock { s -> Bool in
            guard s.nudged || snapshot.scans != s.scans || nowMs - s.comparedMs >= Self.compareAtLeastMs
            else { return false }
            s.nudged = false
            s.scans = snapshot.scans
            s.comparedMs = nowMs
            return true
        }
        var messages: [Message] = []
        if compare { messages = changedViews(snapshot) }
        let logsDue = sent.withLock { nowMs - $0.lastLogMs >= logIntervalMs }
        if logsDue { messages += newLogLines(live, nowMs: nowMs) }
        for message in messages { inbox.send(message) }
    }

    /// `.processes` and `.usage` messages for what differs from the last ones posted.
    private func changedViews(_ snapshot: StackSnapshot) -> [Message] {
        var usage: [Int32: UsageReading] = [:]
        for (pid, u) in snapshot.usage {
            guard let cpu = u.cpuPercent else { continue }
            usage[pid] = UsageReading(cpuPercent: cpu, rssBytes: Int(u.rssBytes), busy: snapshot.busy[pid])
        }
        var messages: [Message] = []
        sent.withLock { s in
            if s.components != snapshot.components {
                s.components = snapshot.components
                messages.append(.processes(snapshot.components))
            }
            if s.usage != usage {
                s.usage = usage
                messages.append(.usage(usage))
            }
            if !messages.isEmpty { s.posts += 1 }
        }
        return messages
    }

    /// `.log` messages with the complete lines each component logged since the last look.
    private func newLogLines(_ live: LiveStack, nowMs: Int) -> [Message] {
        let logs = live.watcher.logs()
        return sent.withLock { s in
            s.lastLogMs = nowMs
            var out: [Message] = []
            for component in logs.components {
                guard let ring = logs.ring(component) else { continue }
                let new = ring.totalLines - s.logLines[component, default: 0]
                guard new > 0 else { continue }
                s.logLines[component] = ring.totalLines
                let lines = ring.tail(min(new, ring.capacity))
                out.append(.log(component: component, text: lines.joined(separator: "\n") + "\n"))
            }
            return out
        }
    }
}
