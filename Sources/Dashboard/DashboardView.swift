/// Renders the whole screen for a state into a `Grid` of its size: the entry point of every view.
public enum DashboardView {
    public static let tooSmallMessage = "terminal too small (need \(Layout.minWidth)×\(Layout.minHeight))"

    /// The screen for `state` at `state.width`×`state.height`; never fails, whatever the size.
    public static func render(_ state: DashboardState) -> Grid {
        var grid = Grid(width: state.width, height: state.height)
        guard Layout.fits(width: state.width, height: state.height) else {
            drawTooSmall(state, into: &grid)
            return grid
        }
        switch state.screen {
        case .picker:
            PickerView.draw(state, into: &grid)
        case .stack:
            let layout = Layout(state)
            HeaderView.draw(state, into: &grid, at: layout.header)
            TopologyView.draw(state, into: &grid, at: layout.topology)
            WorkerTableView.draw(state, layout: layout, into: &grid)
            TrafficView.draw(state, into: &grid, at: layout.traffic)
            if layout.log != layout.timeline {
                grid.vline(
                    row: layout.timeline.row + 1, col: layout.timeline.col - 1,
                    length: layout.timeline.height - 1)
                TimelineView.draw(state, into: &grid, at: layout.timeline)
            }
            if let log = layout.log {
                TimelineView.drawLog(state, into: &grid, at: log)
            }
        }
        switch state.overlay {
        case .help: HelpView.draw(state, into: &grid)
        case .config: ConfigView.draw(state, into: &grid)
        case .drill: DrillMenuView.draw(state, into: &grid)
        case nil: break
        }
        FooterView.draw(state, into: &grid, at: Rect(row: state.height - 1, col: 0, width: state.width, height: 1))
        return grid
    }

    static func drawTooSmall(_ state: DashboardState, into grid: inout Grid) {
        guard grid.width > 0, grid.height > 0 else { return }
        var lines = TextWidth.wrap(tooSmallMessage, width: grid.width)
        lines += TextWidth.wrap("now \(state.width)×\(state.height)", width: grid.width)
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, line) in lines.prefix(grid.height).enumerated() {
            let style = i == 0 ? CellStyle(fg: .warn, bold: true) : CellStyle.muted
            grid.text(line, row: top + i, col: max(0, (grid.width - TextWidth.of(line)) / 2), style)
        }
    }
}

/// Draws the top bar: stack name, uptime, load and the front-door URL.
enum HeaderView {
    static func draw(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        let bar = CellStyle(reverse: true)
        grid.fill(rect, " ", bar)
        var x = rect.col
        func part(_ text: String, _ style: CellStyle) {
            x += grid.text(text, row: rect.row, col: x, style, clip: rect)
        }
        part(" ", bar)
        part(state.stackName.isEmpty ? "(no stack)" : state.stackName, CellStyle(bold: true, reverse: true))
        part(" │ ", bar)
        if let drill = state.drill {
            // Next to the name: at 80 columns the URL at the end is cut, the drill must not be.
            part(drill.status(nowMs: state.nowMs), CellStyle(fg: .warn, bold: true, reverse: true))
            part(" │ ", bar)
        }
        let (status, tone) = lifecycle(state)
        part(status, CellStyle(fg: tone, bold: tone != .plain, reverse: true))
        part(" │ ", bar)
        part(
            state.loadOn ? "load on \(state.rate)/s" : "load off (\(state.rate)/s)",
            CellStyle(fg: state.loadOn ? .good : .plain, reverse: true))
        part(" │ ", bar)
        part(state.url ?? "starting…", CellStyle(fg: .accent, bold: true, reverse: true))
        if state.quitting {
            part(
                state.attached == nil ? " │ stopping…" : " │ detaching…",
                CellStyle(fg: .warn, bold: true, reverse: true))
        }
        if x + 10 <= rect.right { grid.text("stacktop ", row: rect.row, col: rect.right - 9, bar, clip: rect) }
    }

    /// "up 01:23", "launching… 1/3 ready", "launch failed" or "stopped", and its tone.
    static func lifecycle(_ state: DashboardState) -> (String, Tone) {
        let launch = state.launch
        if launch.stopped { return ("stopped", .muted) }
        if launch.failure != nil { return ("launch failed", .bad) }
        if state.isLaunching, let step = launch.building {
            return ("building the \(step == "base" ? "base image (mmdebstrap)" : "stack image")…", .warn)
        }
        if state.isLaunching {
            let total = state.topology?.components.count ?? 0
            return ("launching… \(launch.readyCount)/\(total) ready", .warn)
        }
        return ("up " + Format.duration(state.nowMs), .plain)
    }
}

/// Draws the bottom line: the main keys of the current scope from the keymap, or a flash message
/// (or the last drill's summary, until the next key).
enum FooterView {
    static func draw(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        grid.fill(rect, " ", .plain)
        if let pending = state.confirming {
            grid.text(" " + pending.prompt, row: rect.row, col: rect.col, CellStyle(fg: .warn, bold: true), clip: rect)
            return
        }
        if let flash = state.flash ?? state.drillSummary {
            grid.text(" " + flash.text, row: rect.row, col: rect.col, CellStyle(fg: flash.tone, bold: true), clip: rect)
            return
        }
        let chips = Keymap.bindings(in: state.scope).compactMap { b -> (String, String, Bool)? in
            guard let short = b.short else { return nil }
            // On an attached deploy q only detaches.
            var shown = b.action == .quit && state.attached != nil ? "detach" : short
            if b.action == .launch && state.pickerAttaches { shown = "attach" }
            return (b.footerKeys ?? b.keyLabel, shown, state.whyDisabled(b.requires) == nil)
        }
        // The way out and the way to the rest of the keys always show, at the right.
        let kept = chips.filter { ["help", "quit", "detach", "close"].contains($0.1) }
        let reserve = kept.reduce(0) { $0 + width($1) }
        var x = rect.col
        for chip in chips where !kept.contains(where: { $0.1 == chip.1 }) {
            guard x + width(chip) <= rect.right - reserve else { break }
            x += drawChip(chip, at: x, into: &grid, rect: rect)
        }
        x = max(x, rect.right - reserve)
        for chip in kept { x += drawChip(chip, at: x, into: &grid, rect: rect) }
    }

    static func width(_ chip: (String, String, Bool)) -> Int { TextWidth.of(chip.0) + TextWidth.of(chip.1) + 2 }

    static func drawChip(_ chip: (String, String, Bool), at x: Int, into grid: inout Grid, rect: Rect) -> Int {
        let (keys, short, enabled) = chip
        let keyStyle = enabled ? CellStyle(fg: .accent, bold: true) : CellStyle.muted
        let used = grid.text(keys, row: rect.row, col: x, keyStyle, clip: rect)
        return used + grid.text(" " + short + " ", row: rect.row, col: x + used, enabled ? .plain : .muted, clip: rect)
    }
}
