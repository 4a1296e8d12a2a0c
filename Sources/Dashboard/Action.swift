import StackModel
/// What a key does. Every action has exactly one effect in `update`, described by its binding's help text.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case up, down, pageUp, pageDown, top, bottom, left, right
    case nextPanel, previousPanel
    case term, kill, stop, cont, killMaster, killFront
    case reload, restart, addWorker, removeWorker, deploy
    case toggleLoad, rateUp, rateDown
    case viewConfig, toggleLog, help, close, quit, drill, runDrill, launch
}

/// Where a binding applies: the screen or overlay that has the keyboard.
public enum Scope: String, Sendable, Hashable, CaseIterable {
    /// The live stack screen (no overlay open).
    case main
    /// The stack picker (started without a topology).
    case picker
    /// The `?` overlay.
    case help
    /// The `v` config viewer.
    case config
    /// The `d` drill menu.
    case drill

    /// How the help overlay titles the scope.
    public var title: String {
        switch self {
        case .main: return "stack screen"
        case .picker: return "stack picker"
        case .help: return "this help"
        case .config: return "config viewer"
        case .drill: return "drill menu"
        }
    }
}

/// What must hold for a binding to act; otherwise it is shown dimmed and says why when pressed.
public enum Requirement: Sendable, Hashable {
    case always
    /// A live process is selected in the worker table.
    case liveSelection
    /// The selected process's component has a live master or front root.
    case selectionHasMaster
    /// The front door's root process is alive.
    case frontAlive
    /// A stack is shown (something to configure or log).
    case stack
    /// A stack is shown and the load generator can be driven.
    case load
    /// As `load`, and no drill runs (a drill measures with the load on).
    case loadSwitch
    /// The selected picker entry can run here.
    case runnablePick
    /// The stack runs and no drill is running (one drill at a time).
    case drillIdle
    /// The selected drill menu entry applies to the stack.
    case runnableDrill
    /// The selected process's component supports the operation (see `StackRecipes.Operations`),
    /// and no drill runs.
    case operation(ComponentOperation)
    /// The app server can be deployed (the demo app, a reload it supports), and no drill runs.
    case deployable
}
