import Dashboard
import Dispatch
import Live
import Supervision
import Synchronization
import Terminal

/// The load generator as the dashboard drives it: switched on and off and its rate changed by
/// the load keys, through the live stack's `TrafficSession`; its `traffic` events become the
/// traffic panel's seconds.
///
/// Calls come from the curses thread and return at once: starting the generator runs on the
/// adapter's own queue. Keys pressed while the stack is still launching take effect once it runs.
final class DashboardLoad: Sendable {
    private struct Wanted: Sendable {
        var session: TrafficSession?
        var inbox: DashboardInbox?
        var on = false
        var rate: Int
        var started = false
    }

    private let wanted: Mutex<Wanted>
    private let queue = DispatchQueue(label: "stacktop.dashboard.load")

    /// `rate` is the topology's rate until the operator changes it.
    init(rate: Int = 20) {
        wanted = Mutex(Wanted(rate: rate))
    }

    /// The stack is up: drive its traffic session from now on.
    func attach(_ live: LiveStack, rate: Int, inbox: DashboardInbox) {
        let on = wanted.withLock { w -> Bool in
            w.session = live.traffic
            w.inbox = inbox
            if !w.on { w.rate = rate }
            return w.on
        }
        if on { setLoad(on: true) }
    }

    func setLoad(on: Bool) {
        queue.async { [self] in
            let (session, inbox, start, rate) = wanted.withLock { w in
                w.on = on
                return (w.session, w.inbox, on && !w.started, w.rate)
            }
            guard let session else { return }
            do {
                if start {
                    try session.startLoad(rate: rate)
                    wanted.withLock { $0.started = true }
                } else if on {
                    session.resume()
                } else {
                    session.pause()
                }
            } catch {
                inbox?.send(.loadUnavailable("the load generator did not start: \(error)"))
            }
        }
    }

    func setRate(_ rate: Int) {
        queue.async { [self] in
            let session = wanted.withLock { w -> TrafficSession? in
                w.rate = rate
                return w.session
            }
            session?.setRate(rate)
        }
    }

    /// Returns once every load key pressed so far took effect (a drill starts on the load it set).
    func settle() { queue.sync {} }

    /// Forgets the session (the stack's stop ends its load); later keys do nothing.
    func detach() {
        queue.sync {}
        wanted.withLock { $0.session = nil }
    }

    /// The traffic panel's second for a `traffic` event (nil for the run's totals at the stop).
    static func window(_ event: StackEvent) -> TrafficSecond? {
        guard case let .traffic(t) = event.kind, !t.final else { return nil }
        return TrafficSecond(endMs: event.tMs, traffic: t)
    }
}
