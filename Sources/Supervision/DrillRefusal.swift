/// Why a scenario cannot run on a stack, e.g. "kill-supervisor: nginx-gunicorn has no supervisord".
public struct DrillRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The scenario refused.
    public var scenario: String
    /// The topology it was meant for.
    public var topology: String
    /// One sentence, without the scenario's name: "nginx-gunicorn has no supervisord".
    public var reason: String

    public init(scenario: String, topology: String, reason: String) {
        self.scenario = scenario
        self.topology = topology
        self.reason = reason
    }

    /// `SCENARIO: REASON`.
    public var description: String { "\(scenario): \(reason)" }
}
