/// How a topology runs in containers: `container: true` puts the whole stack in one container
/// (the deployment guide's image, supervisord as PID 1); `container: pod` runs each component
/// stacktop starts in its own container, all in one podman pod sharing its network namespace.
public enum ContainerLayout: String, Sendable, Equatable, CaseIterable {
    /// `container: true`: one container holds the whole stack.
    case single = "true"
    /// `container: pod`: one container per component, in one pod.
    case pod

    /// The words `container:` accepts (`false` means no container).
    static let words = ["true", "false", "pod"]
}
