import Supervision

extension FaultTarget {
    /// The pid and component a command targets, and whether it must be the component's root
    /// (kill master, kill front); nil for commands that signal nothing.
    public static func target(of command: Command) -> (pid: Int32, component: String, root: Bool)? {
        switch command {
        case let .signal(pid, _, component): return (pid, component, false)
        case let .killMaster(component, pid), let .killFront(component, pid): return (pid, component, true)
        default: return nil
        }
    }
}
