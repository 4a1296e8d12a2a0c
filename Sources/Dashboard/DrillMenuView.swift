/// Draws the `d` overlay: the scenarios, the ones that do not apply greyed with the reason, and
/// what the selected one does.
enum DrillMenuView {
    /// Description lines shown under the list at most.
    static let descriptionRows = 4

    static func draw(_ state: DashboardState, into grid: inout Grid) {
        guard case let .drill(index) = state.overlay else { return }
        let items = state.drillMenu ?? []
        let frame = grid.bounds.inset(by: 1, horizontal: 2).centered(width: 100, height: grid.height - 2)
        let textWidth = max(1, frame.width - 4)
        let about =
            items.indices.contains(index)
            ? Array(TextWidth.wrap(items[index].description, width: textWidth).prefix(descriptionRows)) : []
        let load = state.loadOn ? "at \(state.rate)/s" : "switched on at \(state.rate)/s"
        let intro = TextWidth.wrap(
            "Load (\(load)), a warm-up, then the fault; the report lands in the timeline.",
            width: textWidth)
        // Intro, blank, list, blank, the selection's title and description.
        let fixed = 2 + intro.count + 1 + (about.isEmpty ? 0 : 2 + about.count)
        let listRows = max(1, min(max(1, items.count), frame.height - fixed))
        let rect = frame.centered(width: frame.width, height: fixed + listRows)
        grid.fill(rect)
        let title = "drill on \(state.stackName) — Enter runs · Esc closes"
        let inner = grid.box(rect, title: title, CellStyle(fg: .accent))
        var y = inner.row
        func line(_ text: String, _ style: CellStyle, col: Int = inner.col + 1) {
            grid.text(text, row: y, col: col, style, clip: inner)
            y += 1
        }
        for text in intro { line(text, .muted) }
        y += 1
        guard let menu = state.drillMenu else {
            line("resolving the scenarios against the stack…", .muted)
            return
        }
        if menu.isEmpty { line("no scenarios found", .muted) }
        let nameWidth = min(28, max(12, (menu.map { TextWidth.of($0.name) }.max() ?? 10) + 2))
        let top = max(0, min(index - listRows + 1, menu.count - listRows))
        for (i, item) in menu.enumerated().dropFirst(top).prefix(listRows) {
            let selected = i == index
            var style = item.isRunnable ? CellStyle.plain : CellStyle.muted
            if selected {
                style.reverse = true
                grid.fill(Rect(row: y, col: inner.col, width: inner.width, height: 1), " ", style)
            }
            let x =
                inner.col
                + grid.text(
                    (selected ? "▸" : " ") + TextWidth.fit(item.name, nameWidth), row: y,
                    col: inner.col, style, clip: inner)
            let status = item.refusal.map { "no: " + $0 } ?? "runs here"
            line(status, style.with(fg: item.isRunnable ? .good : .muted), col: x)
        }
        guard !about.isEmpty else { return }
        y = inner.row + intro.count + 1 + listRows + 1
        line(items[index].name, .title)
        for text in about { line(text, items[index].isRunnable ? .plain : .muted) }
    }
}
