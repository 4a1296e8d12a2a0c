/// Where a running drill is, for a progress line (`drill`, `compare`) or the dashboard's header.
public struct DrillProgress: Sendable, Equatable {
    /// The drill's phases, in order.
    public enum Phase: String, Sendable, Equatable {
        /// Load runs; nothing was broken yet.
        case warmingUp = "warming up"
        /// The fault went out (signals sent, /crash requested, switch turned on).
        case injected
        /// Watching the stack until it recovers or the timeout passes.
        case waitingForRecovery = "waiting for recovery"
        /// The report is ready.
        case done
    }

    public var phase: Phase
    /// ms since the drill began (its own clock, not the stack's).
    public var elapsedMs: Int
    /// One short line: "SIGKILL app worker pid 4242", "recovered after 812 ms".
    public var text: String

    /// `phase: text`, for a progress line.
    public var line: String { text.isEmpty ? phase.rawValue : phase.rawValue + ": " + text }
}
