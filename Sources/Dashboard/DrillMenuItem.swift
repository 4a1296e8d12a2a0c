import StackModel
import Supervision

/// One scenario as the `d` menu offers it: its name, what it does, and why it cannot run here.
///
/// The wiring builds these from the scenarios and the running stack (resolving each against a
/// fresh snapshot), so the pure dashboard needs no drill types of its own.
public struct DrillMenuItem: Sendable, Equatable {
    /// The scenario's name ("kill-worker"): what Enter asks the wiring to run.
    public var name: String
    /// One or two sentences: what it does and what to look for.
    public var description: String
    /// Why the scenario does not apply to this stack now; nil when it can run.
    public var refusal: String?

    public init(name: String, description: String, refusal: String? = nil) {
        self.name = name
        self.description = description
        self.refusal = refusal
    }

    public var isRunnable: Bool { refusal == nil }
}

extension DrillMenuItem {
    /// The menu for `scenarios` on a stack: each resolved against the components now, a
    /// scenario that does not apply carrying the planner's reason.
    public static func menu(
        _ scenarios: [DrillScenario], topology: Topology,
        components: [ComponentView]
    ) -> [DrillMenuItem] {
        scenarios.map { s in
            var refusal: String?
            if case let .failure(refused) = DrillPlan.resolve(s, topology: topology, components: components) {
                refusal = refused.reason
            }
            return DrillMenuItem(name: s.name, description: s.description, refusal: refusal)
        }
    }
}
