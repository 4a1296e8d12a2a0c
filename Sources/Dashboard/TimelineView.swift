/// Draws the event timeline (newest at the bottom) and the log pane of the selected component.
enum TimelineView {
    static func draw(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        let entries = state.timeline.entries
        let back = min(state.timelineBack, max(0, entries.count - 1))
        let hint = back > 0 ? "\(back) back · End follows" : "\(entries.count) entries"
        PanelTitle.draw("timeline", hint: hint, focused: state.focus == .timeline, into: &grid, at: rect)
        let area = Rect(row: rect.row + 1, col: rect.col + 1, width: rect.width - 1, height: rect.height - 1)
        guard area.height > 0 else { return }
        let shown = entries.dropLast(back).suffix(area.height)
        for (i, entry) in shown.enumerated() {
            let y = area.row + i
            let x = area.col + grid.text(Format.stamp(entry.tMs) + " ", row: y, col: area.col, .muted, clip: area)
            let text = entry.text + (entry.pendingAction == nil ? "" : " …")
            grid.text(text, row: y, col: x, CellStyle(fg: entry.tone, bold: entry.tone == .bad), clip: area)
        }
        if entries.isEmpty { grid.text("nothing happened yet", row: area.row, col: area.col, .muted, clip: area) }
    }

    static func drawLog(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        let component = state.selectedComponent ?? "?"
        let ring = state.logs.ring(component)
        let all = state.logs.tail(component, state.logs.capacity + 1)
        let back = min(state.logBack, max(0, all.count - 1))
        var hint = "L hides"
        if let ring, ring.droppedLines > 0 { hint = "last \(all.count) of \(ring.totalLines) lines · " + hint }
        if back > 0 { hint = "\(back) back · " + hint }
        PanelTitle.draw("log: \(component)", hint: hint, focused: state.focus == .log, into: &grid, at: rect)
        let area = Rect(row: rect.row + 1, col: rect.col + 1, width: rect.width - 1, height: rect.height - 1)
        guard area.height > 0 else { return }
        if all.isEmpty {
            grid.text("no log lines from \(component) yet", row: area.row, col: area.col, .muted, clip: area)
            return
        }
        for (i, line) in all.dropLast(back).suffix(area.height).enumerated() {
            let lower = line.lowercased()
            let tone: Tone = lower.contains("error") || lower.contains("crit") || lower.contains("emerg") ? .bad
                : (lower.contains("warn") ? .warn : .plain)
            grid.text(line, row: area.row + i, col: area.col, CellStyle(fg: tone), clip: area)
        }
    }
}
