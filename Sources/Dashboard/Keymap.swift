/// One key binding: keys, action, help text, scopes and when it is disabled — declared once.
public struct KeyBinding: Sendable, Equatable {
    public var keys: [Key]
    public var action: Action
    /// A sentence for the `?` overlay.
    public var help: String
    /// The word in the footer; nil keeps the binding out of the footer.
    public var short: String?
    /// Keys as the footer writes them when not just the keys joined by "/" ("↑↓").
    public var footerKeys: String?
    public var scopes: Set<Scope>
    public var requires: Requirement

    public init(
        _ keys: [Key], _ action: Action, _ help: String, short: String? = nil, footerKeys: String? = nil,
        in scopes: Set<Scope>, requires: Requirement = .always
    ) {
        self.keys = keys
        self.action = action
        self.help = help
        self.short = short
        self.footerKeys = footerKeys
        self.scopes = scopes
        self.requires = requires
    }

    /// The keys as written in the overlay ("k", "↑/k", "+/=").
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The dashboard's key bindings: the one table that drives dispatch, the footer and the `?` overlay.
///
/// `k` and `l` are fault and load keys on the stack screen, so hjkl cannot also move there: the
/// stack screen moves with the arrows, PgUp/PgDn and Home/End (←/→ switch panels), and hjkl move
/// only where no process is targeted — the picker, the help overlay, the config viewer and the drill menu.
public enum Keymap {
    static let everywhereButMain: Set<Scope> = [.picker, .help, .config, .drill]
    static let overlays: Set<Scope> = [.help, .config, .drill]

    public static let bindings: [KeyBinding] = [
        KeyBinding([.up], .up, "select the process above / scroll up", short: "move", footerKeys: "↑↓", in: [.main]),
        KeyBinding([.down], .down, "select the process below / scroll down", in: [.main]),
        KeyBinding([.up, .char("k")], .up, "move up", short: "move", footerKeys: "↑↓/jk", in: everywhereButMain),
        KeyBinding([.down, .char("j")], .down, "move down", in: everywhereButMain),
        KeyBinding([.pageUp], .pageUp, "one page up", in: Set(Scope.allCases)),
        KeyBinding([.pageDown], .pageDown, "one page down", in: Set(Scope.allCases)),
        KeyBinding([.home], .top, "to the first line", in: Set(Scope.allCases)),
        KeyBinding(
            [.end], .bottom, "to the last line (the timeline follows new entries again)", in: Set(Scope.allCases)),
        KeyBinding([.left, .char("h")], .left, "scroll left", in: [.config]),
        KeyBinding([.right, .char("l")], .right, "scroll right", in: [.config]),
        KeyBinding(
            [.tab, .right], .nextPanel, "focus the next panel (workers, timeline, log)", short: "panel",
            footerKeys: "Tab", in: [.main]),
        KeyBinding([.backTab, .left], .previousPanel, "focus the previous panel", in: [.main]),
        KeyBinding(
            [.char("k")], .term, "SIGTERM the selected process (graceful stop)", short: "term",
            in: [.main], requires: .liveSelection),
        KeyBinding(
            [.char("K")], .kill, "SIGKILL the selected process", short: "KILL",
            in: [.main], requires: .liveSelection),
        KeyBinding(
            [.char("s")], .stop, "SIGSTOP the selected process (freeze it)", short: "stop",
            in: [.main], requires: .liveSelection),
        KeyBinding(
            [.char("c")], .cont, "SIGCONT the selected process (thaw it)", short: "cont",
            in: [.main], requires: .liveSelection),
        KeyBinding(
            [.char("m")], .killMaster, "SIGKILL the master of the selected process's component",
            short: "master", in: [.main], requires: .selectionHasMaster),
        KeyBinding(
            [.char("f")], .killFront, "SIGKILL the front server (the front door's root process)",
            short: "front", in: [.main], requires: .frontAlive),
        KeyBinding(
            [.char("r")], .reload, "graceful reload of the selected process's component",
            in: [.main], requires: .operation(.reload)),
        KeyBinding(
            [.char("R")], .restart, "hard restart of it (supervisorctl restart, or stop + start)",
            in: [.main], requires: .operation(.restart)),
        KeyBinding(
            [.char(">")], .addWorker, "one worker more (gunicorn TTIN, uWSGI FIFO +)",
            in: [.main], requires: .operation(.addWorker)),
        KeyBinding(
            [.char("<")], .removeWorker, "one worker less (gunicorn TTOU, uWSGI FIFO -)",
            in: [.main], requires: .operation(.removeWorker)),
        KeyBinding(
            [.char("D")], .deploy, "deploy: next demo app version, then reload the app server (every pool member)",
            in: [.main], requires: .deployable),
        KeyBinding(
            [.char("l")], .toggleLoad, "switch the load generator on or off", short: "load",
            in: [.main], requires: .loadSwitch),
        KeyBinding(
            [.char("+"), .char("=")], .rateUp, "raise the load rate one step (1…10000/s)", short: "rate",
            footerKeys: "+-", in: [.main], requires: .load),
        KeyBinding([.char("-"), .char("_")], .rateDown, "lower the load rate one step", in: [.main], requires: .load),
        KeyBinding(
            [.char("v")], .viewConfig, "view the generated config of the selected component",
            short: "config", in: [.main], requires: .stack),
        KeyBinding(
            [.char("L")], .toggleLog, "show or hide the log pane of the selected component", short: "log",
            in: [.main], requires: .stack),
        KeyBinding(
            [.char("d")], .drill, "pick a recovery drill and run it on the stack under load", short: "drill",
            in: [.main], requires: .drillIdle),
        KeyBinding(
            [.enter], .runDrill, "run the selected drill (its report lands in the timeline)", short: "run",
            in: [.drill], requires: .runnableDrill),
        KeyBinding(
            [.enter], .launch, "launch the selected stack", short: "launch", in: [.picker],
            requires: .runnablePick),
        KeyBinding([.char("?")], .help, "show this help", short: "help", in: [.main, .picker]),
        KeyBinding([.escape, .char("?"), .char("q")], .close, "close this help", short: "close", in: [.help]),
        KeyBinding(
            [.escape, .char("v"), .char("q")], .close, "close the config viewer", short: "close",
            in: [.config]),
        KeyBinding([.escape, .char("d"), .char("q")], .close, "close the drill menu", short: "close", in: [.drill]),
        KeyBinding([.char("q")], .quit, "stop the stack and quit", short: "quit", in: [.main, .picker]),
        KeyBinding([.escape], .quit, "quit without choosing", in: [.picker]),
    ]

    /// The binding `key` triggers in `scope`, if any.
    public static func binding(for key: Key, in scope: Scope) -> KeyBinding? {
        bindings.first { $0.scopes.contains(scope) && $0.keys.contains(key) }
    }

    /// The bindings of one scope, in table order.
    public static func bindings(in scope: Scope) -> [KeyBinding] {
        bindings.filter { $0.scopes.contains(scope) }
    }
}
