import StackModel

/// What the probe found for one component: where it is and its version, or why it is missing.
public struct InstallationStatus: Sendable, Equatable {
    public var component: InstallationComponent
    /// The binary, module or directory found; nil when missing.
    public var path: String?
    /// The version it reports (as the program or dpkg prints it); nil when missing.
    public var version: String?
    /// Why it counts as missing (nil when found).
    public var problem: String?

    public init(component: InstallationComponent, path: String?, version: String?, problem: String? = nil) {
        self.component = component
        self.path = path
        self.version = version
        self.problem = problem
    }

    /// A component that was found at `path` with `version`.
    public static func found(_ component: InstallationComponent, path: String, version: String) -> InstallationStatus {
        InstallationStatus(component: component, path: path, version: version)
    }

    /// A component that is not usable, and why.
    public static func missing(_ component: InstallationComponent, _ problem: String) -> InstallationStatus {
        InstallationStatus(component: component, path: nil, version: nil, problem: problem)
    }

    /// Whether the component can be used.
    public var isPresent: Bool { problem == nil }
}
