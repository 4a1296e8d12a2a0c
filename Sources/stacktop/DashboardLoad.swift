import Dashboard
import Terminal

/// The load generator as the dashboard drives it: switched on and off, its rate changed, and a
/// `TrafficWindow` posted to the inbox once a second while a stack runs.
///
/// The dashboard session talks only to this role, so the traffic session can be connected
/// without touching the rest of the wiring.
protocol DashboardLoad: Sendable {
    /// Why the load keys cannot act (the dashboard shows it when they are pressed); nil: they can.
    var problem: String? { get }
    /// The stack is up: start reporting its traffic to `inbox` (load stays off until asked).
    func attach(_ live: LiveStack, rate: Int, inbox: DashboardInbox)
    func setLoad(on: Bool)
    func setRate(_ rate: Int)
    /// Stops sending and reporting; called before the stack is stopped.
    func detach()
}

/// No load generator connected to the dashboard: the load keys say so instead of pretending.
struct UnwiredLoad: DashboardLoad {
    var problem: String? { "load generator not wired" }
    func attach(_ live: LiveStack, rate: Int, inbox: DashboardInbox) {}
    func setLoad(on: Bool) {}
    func setRate(_ rate: Int) {}
    func detach() {}
}
