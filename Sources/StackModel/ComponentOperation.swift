/// An operator's action on one running component: the things people do during a deploy.
///
/// How each server kind carries one out (a signal, a FIFO command, supervisorctl) is declared
/// once in `StackRecipes.Operations`; the dashboard's keys and the deploy drills both read it.
public enum ComponentOperation: String, Sendable, Hashable, CaseIterable {
    /// Graceful reload: new workers with the new code, old ones finish what they hold.
    case reload
    /// Hard restart: stop, then start (through supervisord when it runs the component).
    case restart
    /// One worker more.
    case addWorker = "add-worker"
    /// One worker less.
    case removeWorker = "remove-worker"

    /// A few words for help, events and reports ("graceful reload").
    public var title: String {
        switch self {
        case .reload: return "graceful reload"
        case .restart: return "hard restart"
        case .addWorker: return "add one worker"
        case .removeWorker: return "remove one worker"
        }
    }
}
