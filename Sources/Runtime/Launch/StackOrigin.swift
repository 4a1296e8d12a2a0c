import Supervision

/// Where a running stack came from. Everything after the launch or the discovery receives it,
/// and what stacktop may do to the stack follows from it: a launched stack is stacktop's to
/// stop; an attached one is only watched (see `LiveStack.Control` in the executable, which has
/// no way to stop an attached stack).
public enum StackOrigin: Sendable, Equatable {
    /// stacktop launched it: each spawned root leads its own session (`RunningStack.sessions`),
    /// and the watcher follows those sessions.
    case launched
    /// stacktop found it running (`stacktop attach`): the watcher follows the trees under
    /// these discovered processes, by component. `target` is what the user attached to.
    case attached(target: String, roots: [String: ProcessIdentity])

    public var isAttached: Bool {
        if case .attached = self { return true }
        return false
    }
}
