/// The drill running on the stack now: its scenario, when it began and the phase it is in.
///
/// Drills run one at a time: `d` opens the menu only while none runs, Enter starts one, the
/// wiring's `.drillProgress` moves its phase, and `.drillFinished` ends it (the report enters the
/// timeline as one block, the summary the footer until the next key).
public struct DrillActivity: Sendable, Equatable {
    public var scenario: String
    /// When Enter was pressed (ms since launch).
    public var startedMs: Int
    /// "starting", then the runner's phases ("warming up", "injected", "waiting for recovery").
    public var phase: String
    /// The runner's short text for the phase ("SIGKILL → app worker 4311").
    public var detail: String

    public init(scenario: String, startedMs: Int, phase: String = "starting", detail: String = "") {
        self.scenario = scenario
        self.startedMs = startedMs
        self.phase = phase
        self.detail = detail
    }

    /// "drill kill-worker · waiting for recovery · 4 s" for the header.
    public func status(nowMs: Int) -> String {
        "drill \(scenario) · \(phase) · \(max(0, nowMs - startedMs) / 1_000) s"
    }
}

extension DashboardState {
    /// `d`: opens the menu and asks the wiring for the scenarios resolved against the stack now.
    mutating func openDrillMenu() -> [Command] {
        overlay = .drill(index: 0)
        drillMenu = nil
        return [.listDrills]
    }

    /// The scenarios arrived: the selection starts on the first one that can run.
    mutating func receiveDrillMenu(_ items: [DrillMenuItem]) {
        drillMenu = items
        guard case .drill = overlay else { return }
        overlay = .drill(index: items.firstIndex(where: \.isRunnable) ?? 0)
    }

    /// Enter in the menu: closes it, starts the selected drill (load on first, at the set rate).
    mutating func runSelectedDrill() -> [Command] {
        guard case let .drill(index) = overlay, let items = drillMenu, items.indices.contains(index) else { return [] }
        let name = items[index].name
        overlay = nil
        drill = DrillActivity(scenario: name, startedMs: nowMs)
        var commands: [Command] = []
        if !loadOn && loadProblem == nil {
            loadOn = true
            commands.append(.setLoad(on: true))
        }
        timeline.note("drill \(name) started (load \(rate)/s)", tone: .accent, at: nowMs)
        return commands + [.runDrill(scenario: name, rate: rate)]
    }

    /// Moves the menu's selection by `delta`, within the list.
    mutating func moveDrillSelection(from index: Int, by delta: Int) {
        let last = max(0, (drillMenu?.count ?? 0) - 1)
        overlay = .drill(index: min(max(0, index + delta), last))
    }

    /// The runner moved on: a new phase is written to the timeline once.
    mutating func drillProgressed(phase: String, detail: String) {
        guard var current = drill else { return }
        if current.phase != phase {
            timeline.note(
                "drill \(current.scenario): \(phase)" + (detail.isEmpty ? "" : " — \(detail)"),
                tone: .muted, at: nowMs)
        }
        current.phase = phase
        current.detail = detail
        drill = current
    }

    /// The drill ended: the report stays in the timeline as one block; the summary shows in the
    /// footer until the next key.
    mutating func drillFinished(_ outcome: DrillOutcome) {
        drill = nil
        let title = "drill \(outcome.scenario): " + outcome.summary
        timeline.recordReport(title: title, lines: outcome.lines, tone: outcome.verdict.tone, at: nowMs)
        drillSummary = Flash(text: title, tone: outcome.verdict.tone, untilMs: Int.max)
    }
}
