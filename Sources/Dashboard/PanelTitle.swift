/// Draws the one-line title rule every panel starts with: `── title ─────── hint`.
enum PanelTitle {
    static func draw(_ title: String, hint: String = "", focused: Bool = false, into grid: inout Grid, at rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        grid.hline(row: rect.row, col: rect.col, length: rect.width)
        let style = focused ? CellStyle(fg: .accent, bold: true, reverse: true) : CellStyle.title
        let used = grid.text(" \(title) ", row: rect.row, col: rect.col + 1, style, clip: rect)
        guard !hint.isEmpty else { return }
        let room = rect.width - used - 4
        guard room > 3 else { return }
        let shown = " " + TextWidth.truncate(hint, to: room - 2) + " "
        grid.text(shown, row: rect.row, col: rect.right - 1 - TextWidth.of(shown), .muted, clip: rect)
    }
}

/// How healthy a component looks: its processes' phases, whether it is down, whether its hops answer.
enum ComponentHealth {
    static func of(_ name: String, in state: DashboardState) -> Health {
        guard let view = state.components.first(where: { $0.name == name }) else { return .unknown }
        if view.isDown { return .bad }
        if state.hops.values.contains(where: { $0.component == name && !$0.answering }) { return .bad }
        let rows = state.rows.filter { $0.component == name }
        if rows.isEmpty { return .unknown }
        return rows.map(\.health).max() ?? .unknown
    }
}
