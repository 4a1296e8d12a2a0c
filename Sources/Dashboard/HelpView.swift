/// Draws the `?` overlay: every binding of every scope, from the keymap, with why it is disabled now.
enum HelpView {
    /// The overlay's lines: scope titles, then "keys  help  (now: reason)".
    static func lines(_ state: DashboardState, width: Int) -> [(text: String, style: CellStyle)] {
        var out: [(String, CellStyle)] = []
        out += TextWidth.wrap("Every key acts at once; the timeline says what was done and to which pid.", width: width)
            .map { ($0, .plain) }
        out += TextWidth.wrap(
            "On the stack screen k is SIGTERM and l is load, so move with the arrows there "
                + "(←/→ switch panels); hjkl move in the picker, this help and the config viewer.",
            width: width
        ).map { ($0, .muted) }
        // The screen under the overlay first, this help last.
        let below: Scope = state.screen == .picker ? .picker : .main
        let order: [Scope] = [below] + Scope.allCases.filter { $0 != below && $0 != .help } + [.help]
        for scope in order {
            out.append(("", .plain))
            out.append((scope.title, .title))
            for b in Keymap.bindings(in: scope) {
                var text = TextWidth.fit(b.keyLabel, 12) + " " + b.help
                var style = CellStyle.plain
                if let reason = state.whyDisabled(b.requires), scope == below {
                    text += " (now: \(reason))"
                    style = .muted
                }
                out.append(("  " + text, style))
            }
        }
        return out
    }

    static func draw(_ state: DashboardState, into grid: inout Grid) {
        guard case let .help(scroll) = state.overlay else { return }
        let frame = grid.bounds.inset(by: 1, horizontal: 2).centered(width: 96, height: grid.height)
        let all = lines(state, width: frame.width - 4)
        let rect = frame.centered(width: frame.width, height: all.count + 2)
        grid.fill(rect)
        let inner = grid.box(rect, title: "keys — Esc closes", CellStyle(fg: .accent))
        let top = min(scroll, max(0, all.count - inner.height))
        for (i, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            grid.text(line.text, row: inner.row + i, col: inner.col + 1, line.style, clip: inner)
        }
        if all.count > inner.height {
            let more = " \(top + 1)–\(top + inner.height) of \(all.count) "
            grid.text(more, row: rect.bottom - 1, col: rect.right - 1 - TextWidth.of(more), .muted, clip: rect)
        }
    }
}

/// Draws the `v` overlay: the generated config files of the selected component, scrollable.
enum ConfigView {
    static func lines(_ state: DashboardState, component: String) -> [(text: String, style: CellStyle)] {
        let files = state.configFiles.filter { $0.component == component }
        guard !files.isEmpty else {
            return [("no generated files for \(component) yet (asked the runtime for them)", .muted)]
        }
        var out: [(String, CellStyle)] = []
        for file in files {
            if !out.isEmpty { out.append(("", .plain)) }
            let mode = String(file.mode, radix: 8)
            out.append(("── \(state.runDir.map { $0 + "/" } ?? "")\(file.path) (mode \(mode)) ──", .title))
            var body = file.contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if body.last == "" { body.removeLast() }
            for (n, line) in body.enumerated() {
                out.append((TextWidth.fit(String(n + 1), 4, alignRight: true) + " │ " + line, .plain))
            }
        }
        return out
    }

    static func draw(_ state: DashboardState, into grid: inout Grid) {
        guard case let .config(component, scroll, column) = state.overlay else { return }
        let all = lines(state, component: component)
        let rect = grid.bounds.inset(by: 1, horizontal: 2)
        grid.fill(rect)
        let count = state.configFiles.filter { $0.component == component }.count
        let inner = grid.box(
            rect, title: "config: \(component) — \(count) file\(count == 1 ? "" : "s") — Esc closes",
            CellStyle(fg: .accent))
        let top = min(scroll, max(0, all.count - inner.height))
        for (i, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            // The line-number gutter stays; the text scrolls sideways.
            let gutter = line.style == .plain ? String(line.text.prefix(7)) : ""
            let rest = String(line.text.dropFirst(gutter.count).dropFirst(column))
            let x = inner.col + grid.text(gutter, row: inner.row + i, col: inner.col, .muted, clip: inner)
            grid.text(rest, row: inner.row + i, col: x, line.style, clip: inner)
        }
        let more =
            " lines \(min(all.count, top + 1))–\(min(all.count, top + inner.height)) of \(all.count)"
            + (column > 0 ? " · column \(column + 1)" : "") + " "
        grid.text(more, row: rect.bottom - 1, col: rect.right - 1 - TextWidth.of(more), .muted, clip: rect)
    }
}
