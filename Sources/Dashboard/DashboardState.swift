import StackModel
import StackRecipes
import Supervision

/// Everything the dashboard shows and remembers; changed only by `update`, drawn by `DashboardView`.
public struct DashboardState: Sendable, Equatable {
    /// Which full screen is shown.
    public enum Screen: Sendable, Equatable { case picker, stack }

    /// A window drawn over the screen that takes the keyboard.
    public enum Overlay: Sendable, Equatable {
        case help(scroll: Int)
        case config(component: String, scroll: Int, column: Int)
        /// The `d` menu with entry `index` selected.
        case drill(index: Int)
    }

    /// The panels Tab cycles through on the stack screen.
    public enum Panel: String, Sendable, Equatable, CaseIterable {
        case processes, timeline, log
    }

    /// A short message at the bottom, shown until `untilMs`.
    public struct Flash: Sendable, Equatable {
        public var text: String
        public var tone: Tone
        public var untilMs: Int
    }

    public static let rateSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000]

    public var width = 0
    public var height = 0
    public var nowMs = 0
    public var screen: Screen
    public var topology: Topology?
    public var stackName = ""
    public var url: String?
    public var runDir: String?
    public var components: [ComponentView] = []
    public var usage: [Int32: UsageReading] = [:]
    public var traffic = TrafficHistory()
    /// The load setting the operator asked for (the traffic panel shows what was actually sent).
    public var loadOn = false
    public var rate = 20
    public var timeline = Timeline()
    public var logs = ComponentLogs(capacity: 500)
    public var configFiles: [RenderedFile] = []
    /// Hop → (answering, detail), from `health` events.
    public var hops: [String: HopState] = [:]
    /// The component of every pid seen (dead ones too), for traffic attributed to a pid that died.
    public var pidComponents: [Int32: String] = [:]
    /// Pids the operator froze with SIGSTOP and did not thaw yet.
    public var frozen: Set<Int32> = []
    public var focus: Panel = .processes
    /// The selected row of the worker table; its pid keeps the selection across updates.
    public var selectedRow = 0
    public var selectedPid: Int32?
    /// Lines scrolled back from the newest; 0 follows new entries.
    public var timelineBack = 0
    public var logBack = 0
    public var showLog = false
    public var overlay: Overlay?
    public var pickerEntries: [PickerEntry] = []
    public var pickerIndex = 0
    /// The picker offers running deploys to attach to (`stacktop attach`), not topologies.
    public var pickerAttaches = false
    public var flash: Flash?
    public var quitting = false
    /// The launch's progress, from the launcher's events.
    public var launch = LaunchProgress()
    /// Why the load keys cannot act (no load generator wired, it failed); nil when they can.
    public var loadProblem: String?
    /// The drill menu's scenarios; nil until the wiring answered `.listDrills`.
    public var drillMenu: [DrillMenuItem]?
    /// The drill running now (one at a time).
    public var drill: DrillActivity?
    /// The last drill's summary, shown in the footer until the next key.
    public var drillSummary: Flash?
    /// Set when the stack is a deploy stacktop attached to (faults need confirmation; q detaches).
    public var attached: AttachedMode?
    /// A fault waiting for `y` (attached deploys only).
    public var confirming: PendingFault?

    /// A dashboard for `topology`, or a picker when it is nil.
    public init(topology: Topology? = nil, width: Int = 0, height: Int = 0) {
        self.screen = topology == nil ? .picker : .stack
        self.width = width
        self.height = height
        if let topology { show(topology) }
    }

    /// Switches to the stack screen for `topology`.
    public mutating func show(_ topology: Topology) {
        self.topology = topology
        stackName = topology.name
        rate = topology.traffic.rate
        screen = .stack
    }

    /// The scope that has the keyboard.
    public var scope: Scope {
        switch overlay {
        case .help: return .help
        case .config: return .config
        case .drill: return .drill
        case nil: return screen == .picker ? .picker : .main
        }
    }

    /// The worker table's rows, in display order.
    public var rows: [ProcessRow] { ProcessRow.rows(of: self) }

    /// The selected row, if the table has any.
    public var selection: ProcessRow? {
        let all = rows
        return all.indices.contains(selectedRow) ? all[selectedRow] : nil
    }

    /// The component the `v` and `L` keys act on: the selection's, else the front door's.
    public var selectedComponent: String? {
        selection?.component ?? topology?.frontDoor?.name ?? components.first?.name
    }

    /// Components still starting: the launch began, did not fail, and some component neither
    /// passed its readiness check nor has a live root process yet.
    public var isLaunching: Bool {
        guard launch.began, launch.failure == nil, !launch.stopped, let topology else { return false }
        return topology.components.contains { c in
            if case .ready = launch.phase(of: c.name) { return false }
            return root(of: c.name) == nil
        }
    }

    /// The live root process (master or front) of a component.
    public func root(of component: String) -> ProcessView? {
        components.first { $0.name == component }?.processes.first { $0.depth == 0 && !$0.orphaned }
    }

    /// Why a binding cannot act now; nil when it can.
    public func whyDisabled(_ requirement: Requirement) -> String? {
        switch requirement {
        case .always:
            return nil
        case .liveSelection:
            guard let row = selection else { return "select a process first" }
            return row.isLive ? nil : "process \(row.pid) is not running"
        case .selectionHasMaster:
            guard let row = selection else { return "select a process first" }
            guard let root = root(of: row.component) else { return "\(row.component) has no live root process" }
            return [.master, .front].contains(root.role) ? nil : "\(row.component) has no master"
        case .frontAlive:
            guard let front = topology?.frontDoor?.name else { return "no stack" }
            return root(of: front) == nil ? "the front server \(front) is not running" : nil
        case .stack:
            return screen == .stack ? nil : "no stack yet"
        case .load:
            if screen != .stack { return "no stack yet" }
            return loadProblem
        case .loadSwitch:
            if let drill, whyDisabled(.load) == nil { return "drill \(drill.scenario) measures with the load on" }
            return whyDisabled(.load)
        case .runnablePick:
            guard pickerEntries.indices.contains(pickerIndex) else { return "no stack to launch" }
            return pickerEntries[pickerIndex].isRunnable
                ? nil
                : (pickerEntries[pickerIndex].problem ?? "cannot run here")
        case .drillIdle:
            if let drill { return "\(drill.scenario) is running — one drill at a time" }
            return whyNoDrill
        case let .operation(op):
            return whyNoOperation(op)
        case .deployable:
            guard let topology, let door = topology.frontDoor else { return "no stack yet" }
            guard topology.app.isDemo else {
                return "needs the demo app's version file; \(topology.name) serves \(topology.app.module)"
            }
            let apps = deployApps(door: door)
            for app in apps {
                guard let why = whyNoOperation(.reload, component: app) else { continue }
                return apps.count > 1 ? "a deploy reloads every member of \(door.name)'s pool; \(why)" : why
            }
            return nil
        case .runnableDrill:
            guard let items = drillMenu else { return "still resolving the scenarios against the stack" }
            guard case let .drill(index) = overlay, items.indices.contains(index) else { return "no scenario to run" }
            if let why = whyNoDrill { return why }
            return items[index].refusal
        }
    }

    /// Why `op` cannot be done to `component` (default: the selected process's) now.
    func whyNoOperation(_ op: ComponentOperation, component: String? = nil) -> String? {
        if let why = whyNoDrill { return why }
        if let drill { return "\(drill.scenario) is running — wait for its report" }
        guard let topology, let name = component ?? selection?.component else { return "select a process first" }
        let recipe = Operations.recipe(op, component: name, topology: topology, context: Self.placeholderContext)
        guard recipe.isSupported else { return "\(name): \(recipe.how)" }
        if op == .removeWorker {
            let live =
                components.first { $0.name == name }?.processes.filter { $0.role == .worker && !$0.orphaned }.count ?? 0
            if live <= 1 { return "\(name) has \(live) worker\(live == 1 ? "" : "s"): removing one would leave none" }
        }
        return nil
    }

    /// The app servers a deploy (`D`) reloads: the front door when it is one, else every app
    /// server of its pool (the first gets the new version written before its reload), as the
    /// deploy drill does; else the others would go on answering with the old version.
    func deployApps(door: Component) -> [String] {
        if door.kind.role == .app { return [door.name] }
        let apps = door.upstream.filter { topology?.component($0)?.kind.role == .app }
        return apps.isEmpty ? [door.upstream.first ?? door.name] : apps
    }

    /// Paths do not decide whether an operation applies: a context for asking only that.
    static let placeholderContext = LaunchContext(runDir: "/nonexistent", ports: [:], tools: Toolchain(), venv: "")

    /// Why no drill can start on the stack now (not launched, launching, stopped, quitting).
    var whyNoDrill: String? {
        if screen != .stack { return "no stack yet" }
        if quitting { return "the stack is stopping" }
        if launch.failure != nil { return "the stack did not launch" }
        if launch.stopped { return "the stack stopped" }
        if !launch.began || isLaunching { return "the stack is still launching" }
        return nil
    }

    /// Keeps the selection on the same pid after the table changed, or on the same row.
    mutating func reselect() {
        let all = rows
        if let pid = selectedPid, let i = all.firstIndex(where: { $0.pid == pid }) {
            selectedRow = i
        } else {
            selectedRow = min(max(0, selectedRow), max(0, all.count - 1))
        }
        selectedPid = all.indices.contains(selectedRow) ? all[selectedRow].pid : nil
    }
}

/// Whether a hop answers, as the last `health` event said.
public struct HopState: Sendable, Equatable {
    public var component: String?
    public var answering: Bool
    public var detail: String
}
