import Supervision

/// Draws the worker table: one selectable row per process (and per slot still waiting or down).
enum WorkerTableView {
    /// A column: heading, width, right-aligned or not.
    struct Column {
        var title: String
        var width: Int
        var right: Bool
    }

    static func columns(wide: Bool) -> [Column] {
        [
            Column(title: "COMPONENT", width: wide ? 12 : 10, right: false),
            Column(title: "ROLE", width: 10, right: false),
            Column(title: "PID", width: wide ? 8 : 7, right: true),
            Column(title: "STATE", width: wide ? 12 : 11, right: false),
            Column(title: "UPTIME", width: wide ? 9 : 8, right: true),
            Column(title: "REQS", width: wide ? 8 : 6, right: true),
            Column(title: "CPU%", width: wide ? 6 : 5, right: true),
            Column(title: "RSS", width: wide ? 8 : 6, right: true),
            Column(title: "RESTARTS", width: 8, right: true),
        ]
            + (wide ? [Column(title: "COMMAND", width: 0, right: false)] : [])
    }

    static func draw(_ state: DashboardState, layout: Layout, into grid: inout Grid) {
        let rect = layout.processes
        let rows = state.rows
        let focused = state.focus == .processes
        let orphans = rows.filter(\.orphaned).count
        let down = rows.filter { !$0.isLive }.count
        var title = "processes \(rows.filter(\.isLive).count)"
        if orphans > 0 { title += " · \(orphans) orphaned" }
        if down > 0 { title += " · \(down) dead" }
        let hint =
            state.selection.map {
                "selected: " + EventText.subject(component: $0.component, role: $0.role.rawValue, pid: $0.pid)
            } ?? ""
        PanelTitle.draw(title, hint: hint, focused: focused, into: &grid, at: rect)
        guard rect.height > 1 else { return }
        let wide = rect.width >= 110
        let cols = columns(wide: wide)
        line(cols.map(\.title), cols, row: rect.row + 1, rect: rect, style: .muted, into: &grid)
        if rows.isEmpty {
            grid.text("  no processes yet", row: rect.row + 2, col: rect.col, .muted, clip: rect)
            return
        }
        let top = layout.tableTop(selected: state.selectedRow, count: rows.count)
        for (i, row) in rows.enumerated().dropFirst(top).prefix(layout.tableRows) {
            let y = rect.row + 2 + i - top
            let selected = i == state.selectedRow
            var base = row.isLive ? CellStyle.plain : CellStyle.muted
            if selected { base = focused ? CellStyle(reverse: true) : CellStyle(bold: true) }
            if selected { grid.fill(Rect(row: y, col: rect.col, width: rect.width, height: 1), " ", base) }
            grid.text(selected ? "▸" : " ", row: y, col: rect.col, base.with(fg: .accent), clip: rect)
            let cells = values(of: row, state, wide: wide)
            line(cells, cols, row: y, rect: rect, style: base, into: &grid)
            // The state column carries the row's health colour.
            let stateCol = rect.col + 1 + cols.prefix(3).reduce(0) { $0 + $1.width + 1 }
            grid.text(
                TextWidth.fit(cells[3], cols[3].width), row: y, col: stateCol,
                base.with(fg: row.health.tone), clip: rect)
        }
        if rows.count > layout.tableRows, layout.tableRows > 0 {
            let more = " \(top + 1)–\(min(rows.count, top + layout.tableRows)) of \(rows.count) "
            grid.text(more, row: rect.bottom - 1, col: rect.right - TextWidth.of(more), .muted, clip: rect)
        }
    }

    static func values(of row: ProcessRow, _ state: DashboardState, wide: Bool) -> [String] {
        let role = (row.depth > 0 ? "└" : "") + row.role.rawValue
        var v = [
            row.component, role, String(row.pid), row.stateLabel,
            row.isLive ? row.firstSeenMs.map { Format.duration(state.nowMs - $0) } ?? "–" : "–",
            row.requests.map(String.init) ?? "–",
            row.usage.map { Format.one($0.cpuPercent) } ?? "–",
            row.usage.map { Format.bytes($0.rssBytes) } ?? "–",
            String(row.restarts),
        ]
        if wide {
            let command =
                state.components.first { $0.name == row.component }?.processes
                .first { $0.pid == row.pid }?.commandLine ?? ""
            v.append(command)
        }
        return v
    }

    static func line(
        _ values: [String], _ cols: [Column], row: Int, rect: Rect, style: CellStyle,
        into grid: inout Grid
    ) {
        var x = rect.col + 1
        for (value, col) in zip(values, cols) {
            let width = col.width == 0 ? max(0, rect.right - x) : col.width
            grid.text(TextWidth.fit(value, width, alignRight: col.right), row: row, col: x, style, clip: rect)
            x += width + 1
        }
    }
}
