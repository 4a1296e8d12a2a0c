/// Draws the event timeline (newest at the bottom) and the log pane of the selected component.
enum TimelineView {
    static func draw(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        let entries = state.timeline.entries
        let back = min(state.timelineBack, max(0, entries.count - 1))
        let hint = back > 0 ? "\(back) back · End follows" : "\(entries.count) entries"
        PanelTitle.draw("timeline", hint: hint, focused: state.focus == .timeline, into: &grid, at: rect)
        let area = Rect(row: rect.row + 1, col: rect.col + 1, width: rect.width - 1, height: rect.height - 1)
        guard area.height > 0 else { return }
        let rows = visibleRows(entries.dropLast(back), width: area.width, height: area.height)
        for (i, row) in rows.enumerated() {
            let y = area.row + i
            let x = area.col + grid.text(row.stamp, row: y, col: area.col, .muted, clip: area)
            grid.text(row.text, row: y, col: x, row.style, clip: area)
        }
        if entries.isEmpty { grid.text("nothing happened yet", row: area.row, col: area.col, .muted, clip: area) }
    }

    /// One screen row of the timeline: the stamp column (or its gutter) and the text.
    struct Row: Equatable {
        var stamp: String
        var text: String
        var style: CellStyle
    }

    /// The last `height` rows of `entries` at `width` columns. A drill report's lines wrap under a
    /// "┌"/"│" gutter (the others are cut at the edge, one row each).
    static func visibleRows(_ entries: ArraySlice<Timeline.Entry>, width: Int, height: Int) -> [Row] {
        var rows: [Row] = []
        for entry in entries.reversed() {
            guard rows.count < height else { break }
            let stamp = Format.stamp(entry.tMs) + " "
            let gutter = String(repeating: " ", count: TextWidth.of(stamp))
            let style = CellStyle(fg: entry.tone, bold: entry.tone == .bad || entry.block == .head)
            switch entry.block {
            case nil:
                rows.append(
                    Row(stamp: stamp, text: entry.text + (entry.pendingAction == nil ? "" : " …"), style: style))
            case .head?, .body?:
                let lines = wrapKeepingIndent(entry.text, width: width - TextWidth.of(gutter) - 2)
                for (i, line) in lines.enumerated().reversed() {
                    let first = i == 0 && entry.block == .head
                    rows.append(Row(stamp: first ? stamp + "┌ " : gutter + "│ ", text: line, style: style))
                }
            }
        }
        return Array(rows.prefix(height).reversed())
    }

    /// `line` as is when it fits, else broken at its last space that fits (its own spacing kept,
    /// so aligned columns stay aligned). Continuation rows start under the text after a label
    /// ("  failures   3 of 40…": under "3") when that is in the left half, else two past the indent.
    static func wrapKeepingIndent(_ line: String, width: Int) -> [String] {
        guard width > 4, TextWidth.of(line) > width else { return [line] }
        let indent = min(line.prefix { $0 == " " }.count, width / 2)
        let pad = String(repeating: " ", count: hangingIndent(line, indent: indent, width: width))
        var out: [String] = []
        var rest = Array(line)
        while TextWidth.of(String(rest)) > width {
            // The last space at or just past the edge whose text before it is not all indent.
            var used = 0
            var end = 0
            var cut: Int?
            while end < rest.count, used + TextWidth.of(rest[end]) <= width {
                used += TextWidth.of(rest[end])
                end += 1
                if isBreak(rest, at: end), rest[..<end].contains(where: { $0 != " " }) { cut = end }
            }
            let head = String(rest[..<(cut ?? end)])
            out.append(String(head.reversed().drop { $0 == " " }.reversed()))
            rest = Array(pad) + Array(rest[(cut ?? end)...].drop { $0 == " " })
            if rest.count == pad.count { break }
        }
        if rest.count > pad.count || out.isEmpty { out.append(String(rest)) }
        return out
    }

    static let units: Set<String> = ["ms", "s", "req/s", "requests/s", "%"]

    /// Whether a line may break at `i`: a space, but not the one between a number and its unit ("12 ms").
    static func isBreak(_ chars: [Character], at i: Int) -> Bool {
        guard i > 0, i < chars.count, chars[i] == " " else { return false }
        guard chars[i - 1].isNumber else { return true }
        var word = String(chars[(i + 1)...].prefix { $0 != " " })
        while let last = word.last, ",);.".contains(last) { word.removeLast() }
        return !units.contains(word)
    }

    /// The column after a label's gap of two or more spaces, if in the left half; else indent + 2.
    static func hangingIndent(_ line: String, indent: Int, width: Int) -> Int {
        let chars = Array(line)
        var i = indent
        while i < chars.count, chars[i] != " " { i += 1 }
        var gap = i
        while gap < chars.count, chars[gap] == " " { gap += 1 }
        let column = TextWidth.of(String(chars[..<min(gap, chars.count)]))
        return gap - i >= 2 && gap < chars.count && column <= width / 2 ? column : indent + 2
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
            let tone: Tone =
                lower.contains("error") || lower.contains("crit") || lower.contains("emerg")
                ? .bad
                : (lower.contains("warn") ? .warn : .plain)
            grid.text(line, row: area.row + i, col: area.col, CellStyle(fg: tone), clip: area)
        }
    }
}
