import StackModel
import Supervision

/// Applies one message to the state and returns the commands to carry out (Bubble-Tea style).
public func update(_ state: inout DashboardState, _ message: Message) -> [Command] {
    switch message {
    case let .key(key):
        state.drillSummary = nil  // the last drill's summary shows until the next key
        if state.confirming != nil { return state.answerConfirmation(key) }
        guard let binding = Keymap.binding(for: key, in: state.scope) else { return [] }
        if let reason = state.whyDisabled(binding.requires) {
            state.flash(binding.keyLabel + " " + (binding.short ?? binding.help) + ": " + reason, tone: .warn)
            return []
        }
        return perform(binding.action, on: &state)
    case let .click(row, col):
        state.click(row: row, col: col)
        return []
    case let .resize(width, height):
        state.width = max(0, width)
        state.height = max(0, height)
        return []
    case let .tick(nowMs):
        state.nowMs = max(state.nowMs, nowMs)
        if let flash = state.flash, flash.untilMs <= state.nowMs { state.flash = nil }
        return []
    case let .topology(topology):
        state.show(topology)
        return []
    case let .events(events):
        for event in events { state.absorb(event) }
        return []
    case let .processes(views):
        state.components = views
        if state.pidComponents.count > 10_000 { state.pidComponents = [:] }
        for view in views { for p in view.processes { state.pidComponents[p.pid] = view.name } }
        let live = Set(views.flatMap { $0.processes.map(\.pid) })
        state.frozen.formIntersection(live)
        state.reselect()
        return []
    case let .usage(usage):
        state.usage = usage
        return []
    case let .traffic(window):
        state.traffic.append(window)
        return []
    case let .log(component, text):
        state.logs.append(text, to: component)
        return []
    case let .configFiles(files):
        let replaced = Set(files.map(\.component))
        state.configFiles = state.configFiles.filter { !replaced.contains($0.component) } + files
        return []
    case let .picker(entries):
        state.pickerEntries = entries
        state.pickerIndex = min(state.pickerIndex, max(0, entries.count - 1))
        return []
    case let .loadUnavailable(reason):
        state.loadProblem = reason
        if reason != nil { state.loadOn = false }
        return []
    case let .drillMenu(items):
        state.receiveDrillMenu(items)
        return []
    case let .drillProgress(phase, detail):
        state.drillProgressed(phase: phase, detail: detail)
        return []
    case let .drillFinished(outcome):
        state.drillFinished(outcome)
        return []
    case let .interrupted(signal):
        // RUNNING -> QUITTING (a second signal finds it quitting and asks nothing more)
        guard !state.quitting else { return [] }
        state.overlay = nil
        state.quitting = true
        state.timeline.note("\(signal) received: stopping the stack", tone: .accent, at: state.nowMs)
        return [.quit]
    }
}

extension DashboardState {
    /// Shows a short message for three seconds.
    mutating func flash(_ text: String, tone: Tone) {
        flash = Flash(text: text, tone: tone, untilMs: nowMs + 3_000)
    }

    mutating func absorb(_ event: StackEvent) {
        timeline.record(event)
        if case let .error(message, _) = event.kind, isLaunching { launch.fail(message) }
        launch.absorb(event)
        switch event.kind {
        case let .stack(topology, runDir, url):
            if stackName.isEmpty { stackName = topology }
            self.runDir = runDir
            self.url = url
        case let .health(hop, answering, detail):
            hops[hop] = HopState(component: event.component, answering: answering, detail: detail)
        case .exited:
            if let pid = event.pid { frozen.remove(pid) }
        case let .fault(action, detail) where detail.isEmpty:
            // A signal that went out, whoever sent it (a key or a drill's stop-worker).
            if let pid = event.pid, action == Signal.stop.name { frozen.insert(pid) }
            if let pid = event.pid, action == Signal.cont.name { frozen.remove(pid) }
        default:
            break
        }
    }

    mutating func click(row: Int, col: Int) {
        guard overlay == nil else { return }
        if screen == .picker {
            let index = row - PickerView.firstEntryRow
            if pickerEntries.indices.contains(index) { pickerIndex = index }
            return
        }
        let layout = Layout(self)
        for panel in Panel.allCases {
            guard let rect = layout.rect(of: panel), rect.contains(row: row, col: col) else { continue }
            focus = panel
            if panel == .processes {
                let top = layout.tableTop(selected: selectedRow, count: rows.count)
                let index = top + row - (rect.row + 2)
                if row >= rect.row + 2, rows.indices.contains(index) { select(index) }
            }
            return
        }
    }

    mutating func select(_ index: Int) {
        let all = rows
        guard !all.isEmpty else { selectedRow = 0; selectedPid = nil; return }
        selectedRow = min(max(0, index), all.count - 1)
        selectedPid = all[selectedRow].pid
    }
}

/// Carries out one enabled action.
private func perform(_ action: Action, on state: inout DashboardState) -> [Command] {
    let page = max(1, Layout(state).tableRows - 1)
    switch action {
    case .up: state.move(by: -1)
    case .down: state.move(by: 1)
    case .pageUp: state.move(by: -page)
    case .pageDown: state.move(by: page)
    case .top: state.move(by: -1_000_000)
    case .bottom: state.move(by: 1_000_000)
    case .left, .right:
        if case let .config(component, scroll, column) = state.overlay {
            state.overlay = .config(
                component: component, scroll: scroll,
                column: max(0, column + (action == .left ? -8 : 8)))
        }
    case .nextPanel, .previousPanel:
        let panels = DashboardState.Panel.allCases.filter { $0 != .log || state.showLog }
        let i = panels.firstIndex(of: state.focus) ?? 0
        state.focus = panels[(i + (action == .nextPanel ? 1 : panels.count - 1)) % panels.count]
    case .term, .kill, .stop, .cont:
        guard let row = state.selection else { return [] }
        let signal: Signal = [.term: .term, .kill: .kill, .stop: .stop, .cont: .cont][action] ?? .term
        return state.fault(
            .signal(pid: row.pid, signal, component: row.component), action: signal.name,
            subject: EventText.subject(component: row.component, role: row.role.rawValue, pid: row.pid),
            pid: row.pid)
    case .killMaster:
        guard let row = state.selection, let root = state.root(of: row.component) else { return [] }
        return state.fault(
            .killMaster(component: row.component, pid: root.pid), action: "SIGKILL",
            subject: EventText.subject(component: row.component, role: root.role.rawValue, pid: root.pid),
            pid: root.pid)
    case .killFront:
        guard let front = state.topology?.frontDoor?.name, let root = state.root(of: front) else { return [] }
        return state.fault(
            .killFront(component: front, pid: root.pid), action: "SIGKILL",
            subject: EventText.subject(component: front, role: root.role.rawValue, pid: root.pid),
            pid: root.pid)
    case .reload, .restart, .addWorker, .removeWorker, .deploy:
        if state.attached != nil {
            // Operations go through the launch's own files (supervisorctl config, app version file).
            state.flash(
                "reload, restart, scaling and deploy work on stacks stacktop launched; this deploy was attached",
                tone: .warn)
            return []
        }
        if action == .deploy {
            guard let door = state.topology?.frontDoor else { return [] }
            // Behind a pool every member is reloaded (the version is written once, before the first).
            let apps = state.deployApps(door: door)
            let what = apps.count == 1 ? "a graceful reload" : "a graceful reload of each member of \(door.name)'s pool"
            state.timeline.note(
                "deploy of \(apps.joined(separator: ", ")) requested: next app version, then \(what)",
                tone: .accent, at: state.nowMs)
            return apps.enumerated().map { i, app in .operate(.reload, component: app, bumpVersion: i == 0) }
        }
        guard let row = state.selection else { return [] }
        let op: ComponentOperation =
            [.reload: .reload, .restart: .restart, .addWorker: .addWorker][action] ?? .removeWorker
        state.timeline.note("\(op.title) of \(row.component) requested", tone: .accent, at: state.nowMs)
        return [.operate(op, component: row.component, bumpVersion: false)]
    case .toggleLoad:
        state.loadOn.toggle()
        state.timeline.note(state.loadOn ? "load on at \(state.rate)/s" : "load off", tone: .accent, at: state.nowMs)
        return [.setLoad(on: state.loadOn)]
    case .rateUp, .rateDown:
        return state.stepRate(up: action == .rateUp)
    case .viewConfig:
        guard let component = state.selectedComponent else { return [] }
        state.overlay = .config(component: component, scroll: 0, column: 0)
        return state.configFiles.contains { $0.component == component } ? [] : [.openConfig(component: component)]
    case .toggleLog:
        state.showLog.toggle()
        if !state.showLog && state.focus == .log { state.focus = .processes }
    case .help:
        state.overlay = .help(scroll: 0)
    case .close:
        state.overlay = nil
    case .quit:
        state.quitting = true
        state.timeline.note(
            state.attached == nil
                ? "quitting: stopping the stack"
                : "detaching: the deploy keeps running", tone: .accent, at: state.nowMs)
        return [.quit]
    case .drill:
        return state.openDrillMenu()
    case .runDrill:
        return state.confirmSelectedDrill()
    case .launch:
        guard state.pickerEntries.indices.contains(state.pickerIndex),
            let topology = state.pickerEntries[state.pickerIndex].topology
        else { return [] }
        state.show(topology)
        return [.launch(topology)]
    }
    return []
}

extension DashboardState {
    /// Moves whatever the arrows move in the current scope and panel.
    mutating func move(by delta: Int) {
        switch overlay {
        case let .help(scroll):
            overlay = .help(scroll: max(0, scroll + delta))
            return
        case let .config(component, scroll, column):
            overlay = .config(component: component, scroll: max(0, scroll + delta), column: column)
            return
        case let .drill(index):
            moveDrillSelection(from: index, by: delta)
            return
        case nil:
            break
        }
        if screen == .picker {
            pickerIndex = min(max(0, pickerIndex + delta), max(0, pickerEntries.count - 1))
            return
        }
        switch focus {
        case .processes: select(selectedRow + delta)
        case .timeline: timelineBack = min(max(0, timelineBack - delta), max(0, timeline.entries.count - 1))
        case .log: logBack = max(0, logBack - delta)
        }
    }

    /// One step up or down `rateSteps`, clamped to 1…10000; no command when already at the end.
    mutating func stepRate(up: Bool) -> [Command] {
        let steps = Self.rateSteps
        let next = up ? steps.first { $0 > rate } : steps.last { $0 < rate }
        guard let next else {
            flash("rate already at its \(up ? "maximum" : "minimum") (\(rate)/s)", tone: .warn)
            return []
        }
        rate = next
        timeline.note("rate set to \(rate)/s", tone: .accent, at: nowMs)
        return [.setRate(rate)]
    }
}
