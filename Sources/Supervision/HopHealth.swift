/// Tracks whether each hop of a stack answers its probes, and reports only the changes.
///
/// A hop is a named path a request can take (the front door, or a front server's upstream).
/// The first result for a hop is a change from "unknown"; later results that keep its answer
/// update the detail and probe time silently.
public struct HopHealth: Sendable, Equatable {
    /// What is known about one hop.
    public struct Status: Sendable, Equatable {
        public var hop: String
        public var component: String?
        public var answering: Bool
        /// The last probe's detail ("200 in 3 ms", "connect: refused").
        public var detail: String
        /// When `answering` last changed (or was first known).
        public var sinceMs: Int
        public var lastProbeMs: Int
        /// Probes recorded since the last change.
        public var probesSinceChange: Int
    }

    private var statuses: [String: Status] = [:]
    private var order: [String] = []

    public init() {}

    /// Records one probe result of `hop` at `now`; returns a `health` event when its answer changed.
    public mutating func record(
        hop: String, component: String? = nil, answering: Bool, detail: String,
        at now: Int
    ) -> [StackEvent] {
        guard var status = statuses[hop] else {  // UNKNOWN -> ANSWERING or NOT ANSWERING
            order.append(hop)
            statuses[hop] = Status(
                hop: hop, component: component, answering: answering, detail: detail,
                sinceMs: now, lastProbeMs: now, probesSinceChange: 1)
            return [event(hop: hop, component: component, answering: answering, detail: detail, at: now)]
        }
        status.detail = detail
        status.lastProbeMs = now
        if let component { status.component = component }
        if status.answering == answering {  // unchanged: no event
            status.probesSinceChange += 1
            statuses[hop] = status
            return []
        }
        // ANSWERING -> NOT ANSWERING, or back
        status.answering = answering
        status.sinceMs = now
        status.probesSinceChange = 1
        statuses[hop] = status
        return [event(hop: hop, component: status.component, answering: answering, detail: detail, at: now)]
    }

    /// The status of one hop; nil before its first probe.
    public func status(of hop: String) -> Status? { statuses[hop] }

    /// Every hop probed so far, in the order first probed.
    public var all: [Status] { order.compactMap { statuses[$0] } }

    private func event(hop: String, component: String?, answering: Bool, detail: String, at now: Int) -> StackEvent {
        StackEvent(tMs: now, .health(hop: hop, answering: answering, detail: detail), component: component)
    }
}
