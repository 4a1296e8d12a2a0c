import StackModel

/// The software installed on this machine, as far as stacktop's stacks are concerned.
///
/// `InstallationProbe` looks at the real machine; tests use a fake with fixed answers.
public protocol Installation: Sendable {
    /// The status of every component, one per `InstallationComponent.allCases`, in that order.
    func statuses() async -> [InstallationStatus]
}
