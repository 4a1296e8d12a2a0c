import StackModel

/// Draws the stack picker: every topology with its components and whether it can run here.
enum PickerView {
    /// The screen row of the first entry (clicks map rows to entries with it).
    static let firstEntryRow = 3

    /// "nginx×2 → gunicorn×2 · supervisord" for a topology.
    static func summary(_ t: Topology) -> String {
        func name(_ c: Component) -> String { c.kind.rawValue + (c.workers.map { "×\($0)" } ?? "") }
        guard let door = t.frontDoor else { return t.components.map(name).joined(separator: ", ") }
        var text = name(door)
        let ups = door.upstream.compactMap { t.component($0) }
        if !ups.isEmpty { text += " → " + ups.map(name).joined(separator: " + ") }
        let sups = t.components.filter { $0.kind == .supervisord }
        if !sups.isEmpty { text += " · " + sups.map(\.kind.rawValue).joined(separator: ", ") }
        return text
    }

    static func draw(_ state: DashboardState, into grid: inout Grid) {
        if state.pickerAttaches { return drawDeploys(state, into: &grid) }
        let width = grid.width
        grid.fill(Rect(row: 0, col: 0, width: width, height: 1), " ", .bar)
        grid.text(" stacktop │ choose a stack to launch", row: 0, col: 0, CellStyle(bold: true, reverse: true))
        let listRows = max(0, grid.height - firstEntryRow - 8)
        PanelTitle.draw(
            "stacks \(state.pickerEntries.filter(\.isRunnable).count)/\(state.pickerEntries.count) runnable",
            into: &grid, at: Rect(row: 1, col: 0, width: width, height: 1))
        let nameW = min(30, max(12, (state.pickerEntries.map { TextWidth.of($0.name) }.max() ?? 10) + 1))
        let summaryW = width > 110 ? 44 : 32
        grid.text(
            " " + TextWidth.fit("NAME", nameW) + " " + TextWidth.fit("COMPONENTS", summaryW) + " RUNS HERE",
            row: 2, col: 0, .muted)
        if state.pickerEntries.isEmpty {
            grid.text("  no topologies found (looked in topologies/)", row: firstEntryRow, col: 0, .muted)
        }
        let top = max(0, min(state.pickerIndex - listRows + 1, state.pickerEntries.count - listRows))
        for (i, entry) in state.pickerEntries.enumerated().dropFirst(top).prefix(listRows) {
            let y = firstEntryRow + i - top
            let selected = i == state.pickerIndex
            var style = entry.isRunnable ? CellStyle.plain : CellStyle.muted
            if selected { style.reverse = true; grid.fill(Rect(row: y, col: 0, width: width, height: 1), " ", style) }
            let summary = entry.topology.map(summary) ?? "(does not load)"
            var x = grid.text(
                (selected ? "▸" : " ") + TextWidth.fit(entry.name, nameW) + " "
                    + TextWidth.fit(summary, summaryW) + " ", row: y, col: 0, style)
            let status = entry.problem.map { "no: " + $0 } ?? "yes"
            x += grid.text(status, row: y, col: x, style.with(fg: entry.isRunnable ? .good : .muted))
        }
        let detail = Rect(row: grid.height - 8, col: 0, width: width, height: 7)
        PanelTitle.draw("about", into: &grid, at: detail)
        guard state.pickerEntries.indices.contains(state.pickerIndex) else { return }
        let entry = state.pickerEntries[state.pickerIndex]
        var text = entry.topology?.description ?? ""
        if let problem = entry.problem { text = "Cannot run here: \(problem). " + text }
        for (i, line) in TextWidth.wrap(text, width: width - 2).prefix(detail.height - 2).enumerated() {
            grid.text(
                line, row: detail.row + 1 + i, col: 1, i == 0 && entry.problem != nil ? CellStyle(fg: .warn) : .plain)
        }
        grid.text(entry.path, row: detail.bottom - 1, col: 1, .muted, clip: detail)
    }

    /// The deploys `stacktop attach` offers: one line each, as `attach --list` prints them.
    static func drawDeploys(_ state: DashboardState, into grid: inout Grid) {
        let width = grid.width
        grid.fill(Rect(row: 0, col: 0, width: width, height: 1), " ", .bar)
        grid.text(
            " stacktop │ choose a running deploy to attach to (it is never stopped)", row: 0, col: 0,
            CellStyle(bold: true, reverse: true))
        let listRows = max(0, grid.height - firstEntryRow - 8)
        PanelTitle.draw(
            "deploys \(state.pickerEntries.count) found", into: &grid,
            at: Rect(row: 1, col: 0, width: width, height: 1))
        grid.text(" DEPLOY", row: 2, col: 0, .muted)
        let top = max(0, min(state.pickerIndex - listRows + 1, state.pickerEntries.count - listRows))
        for (i, entry) in state.pickerEntries.enumerated().dropFirst(top).prefix(listRows) {
            let y = firstEntryRow + i - top
            let selected = i == state.pickerIndex
            var style = CellStyle.plain
            if selected { style.reverse = true; grid.fill(Rect(row: y, col: 0, width: width, height: 1), " ", style) }
            grid.text((selected ? "▸" : " ") + TextWidth.fit(entry.name, width - 1), row: y, col: 0, style)
        }
        let detail = Rect(row: grid.height - 8, col: 0, width: width, height: 7)
        PanelTitle.draw("about", into: &grid, at: detail)
        guard state.pickerEntries.indices.contains(state.pickerIndex) else { return }
        let entry = state.pickerEntries[state.pickerIndex]
        let text =
            "Enter attaches (the same as: \(entry.path)); q detaches later and leaves every process running. "
            + "q or Esc here quits without attaching."
        let lines = TextWidth.wrap(entry.name, width: width - 2) + TextWidth.wrap(text, width: width - 2)
        for (i, line) in lines.prefix(detail.height - 2).enumerated() {
            grid.text(line, row: detail.row + 1 + i, col: 1, i == 0 ? CellStyle(bold: true) : .plain)
        }
    }
}
