import StackModel
import Supervision

/// Draws the stack as boxes and arrows: client → front server → app server(s) → workers, with
/// live requests/s on each edge, a health colour per box and the supervisor beside.
enum TopologyView {
    /// Rows the view wants: a title, three per app server band, one per supervisor.
    static func rowsNeeded(_ state: DashboardState) -> Int {
        let shape = Shape(state)
        return 1 + 3 * max(1, shape.apps.count) + shape.supervisors.count
    }

    /// The parts of the stack that get boxes.
    struct Shape {
        var front: Component?
        var apps: [Component]
        var supervisors: [Component]

        init(_ state: DashboardState) {
            let top = state.topology
            let door = top?.frontDoor
            if let door, door.kind.role == .front {
                front = door
                apps = door.upstream.compactMap { top?.component($0) }
            } else {
                front = nil
                apps = door.map { [$0] } ?? []
            }
            supervisors = top?.components.filter { $0.kind == .supervisord } ?? []
        }
    }

    static func draw(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        PanelTitle.draw(
            "stack", hint: state.topology?.description.split(separator: ".").first.map(String.init) ?? "",
            into: &grid, at: rect)
        let area = Rect(row: rect.row + 1, col: rect.col + 1, width: rect.width - 2, height: rect.height - 1)
        let shape = Shape(state)
        guard !shape.apps.isEmpty else {
            grid.text("no topology yet", row: area.row, col: area.col, .muted, clip: area)
            return
        }
        let wide = area.width >= 110
        let edgeW = wide ? 13 : 8
        let frontW = shape.front == nil ? 0 : (wide ? 24 : 17)
        let appW = wide ? 26 : 19
        let bands = shape.apps.count
        let midRow = area.row + (3 * bands - 3) / 2 + 1
        var x = area.col
        grid.text("client", row: midRow, col: x, .title, clip: area)
        x += 7
        let latest = state.traffic.latest
        edge(
            latest.map(\.requests.rps), tone: clientTone(latest), row: midRow, col: x, width: edgeW, into: &grid,
            clip: area)
        x += edgeW
        if let front = shape.front {
            box(front, state, Rect(row: midRow - 1, col: x, width: frontW, height: 3), into: &grid, clip: area)
            x += frontW
        }
        let appMids = (0..<bands).map { area.row + 3 * $0 + 1 }
        var edgeStart = x
        if shape.front != nil {
            if bands > 1 { grid.set(row: midRow, col: x, "─", .muted) }
            let trunkCol = bands > 1 ? x + 1 : x
            trunk(from: midRow, to: appMids, col: trunkCol, into: &grid, clip: area)
            edgeStart = trunkCol + 1
        }
        let appX = shape.front == nil ? x : edgeStart + edgeW
        for (i, app) in shape.apps.enumerated() {
            if shape.front != nil {
                let pids = Set(state.rows.filter { $0.component == app.name }.map(\.pid))
                let health = ComponentHealth.of(app.name, in: state)
                edge(
                    state.traffic.rps(of: pids), tone: health == .unknown ? .muted : health.tone, row: appMids[i],
                    col: edgeStart, width: edgeW, into: &grid, clip: area)
            }
            box(app, state, Rect(row: appMids[i] - 1, col: appX, width: appW, height: 3), into: &grid, clip: area)
            workers(
                of: app, state,
                at: Rect(
                    row: appMids[i] - 1, col: appX + appW, width: area.right - appX - appW,
                    height: 3), into: &grid, clip: area)
        }
        for (i, sup) in shape.supervisors.enumerated() {
            supervisorLine(sup, state, row: area.row + 3 * bands + i, col: area.col, into: &grid, clip: area)
        }
    }

    static func clientTone(_ w: TrafficSecond?) -> Tone {
        guard let w, w.requests.rps > 0 else { return .muted }
        let total = w.requests.byStatus.values.reduce(0, +) + w.requests.errors
        if w.failures == 0 { return .good }
        return w.failures >= total ? .bad : .warn
    }

    /// `─── 12/s ──▶` in `width` cells.
    static func edge(_ rps: Double?, tone: Tone, row: Int, col: Int, width: Int, into grid: inout Grid, clip: Rect) {
        let style = CellStyle(fg: tone)
        grid.hline(row: row, col: col, length: width - 1, style)
        grid.set(row: row, col: col + width - 1, "▶", style)
        if let rps, clip.contains(row: row, col: col) {
            let bare = Format.rate(rps)
            let label = TextWidth.of(bare) + 4 <= width ? " " + bare + " " : bare
            grid.text(
                label, row: row, col: col + max(1, (width - TextWidth.of(label)) / 2), style.emphasized,
                clip: Rect(row: row, col: col, width: width - 1, height: 1).intersection(clip))
        }
    }

    /// The junction from the front box's middle row to each app band's middle row.
    static func trunk(from frontRow: Int, to mids: [Int], col: Int, into grid: inout Grid, clip: Rect) {
        guard let first = mids.first, let last = mids.last, clip.contains(row: frontRow, col: col) else { return }
        let top = min(first, frontRow), bottom = max(last, frontRow)
        for r in top...bottom {
            let isMid = mids.contains(r), isFront = r == frontRow
            let glyph: Character
            switch (r == top, r == bottom, isMid, isFront) {
            case (true, true, _, _): glyph = "─"
            case (true, false, _, true): glyph = "┬"
            case (true, false, _, false): glyph = "┌"
            case (false, true, _, true): glyph = "┴"
            case (false, true, _, false): glyph = "└"
            case (false, false, true, true): glyph = "┼"
            case (false, false, true, false): glyph = "├"
            case (false, false, false, true): glyph = "┤"
            case (false, false, false, false): glyph = "│"
            }
            if clip.contains(row: r, col: col) { grid.set(row: r, col: col, glyph, .muted) }
        }
    }

    /// A 3-row box: `name kind` on top, `● pid state` inside, `n/m workers ↻r` on the bottom border.
    static func box(_ c: Component, _ state: DashboardState, _ rect: Rect, into grid: inout Grid, clip: Rect) {
        let health = ComponentHealth.of(c.name, in: state)
        let style = CellStyle(fg: health.tone, bold: health == .bad)
        let inner = grid.box(
            rect.intersection(clip), title: c.name == c.kind.rawValue ? c.name : "\(c.name) \(c.kind.rawValue)", style,
            titleStyle: CellStyle(fg: health.tone, bold: true))
        guard rect.right <= clip.right else { return }
        let view = state.components.first { $0.name == c.name }
        let body: String
        if let root = state.root(of: c.name) {
            let row = state.rows.first { $0.pid == root.pid }
            body = "● \(root.pid) \(row?.stateLabel ?? root.phase.rawValue)"
        } else if view?.isDown == true {
            body = "✖ down"
        } else if let n = view?.processes.count, n > 0 {
            body = "● \(n) process" + (n == 1 ? "" : "es")
        } else {
            body = launchBody(c.name, state)
        }
        grid.text(body, row: inner.row, col: inner.col, CellStyle(fg: health.tone), clip: inner)
        var foot: [String] = []
        if c.kind.hasWorkers, let expected = c.workers {
            let live = view?.processes.filter { $0.role == .worker && !$0.orphaned }.count ?? 0
            foot.append("\(live)/\(expected) workers")
        }
        if let restarts = view?.restarts, restarts > 0 { foot.append("↻\(restarts)") }
        if !foot.isEmpty {
            grid.text(
                " " + foot.joined(separator: " ") + " ", row: rect.bottom - 1, col: rect.col + 1, .muted,
                clip: Rect(row: rect.bottom - 1, col: rect.col + 1, width: rect.width - 2, height: 1))
        }
    }

    /// A box's body while its component has no process to show: where the launch is with it.
    static func launchBody(_ name: String, _ state: DashboardState) -> String {
        guard state.launch.began, !state.launch.stopped else { return "· not running" }
        switch state.launch.phase(of: name) {
        case .waiting: return state.launch.failure == nil ? "· waiting" : "· not started"
        case .starting: return state.launch.failure == nil ? "◌ starting…" : "✖ failed to start"
        case let .ready(afterMs): return "● ready in \(afterMs) ms"
        }
    }

    /// The workers of an app server to the right of its box, several per line when there is room.
    static func workers(of c: Component, _ state: DashboardState, at rect: Rect, into grid: inout Grid, clip: Rect) {
        let rows = state.rows.filter { $0.component == c.name && $0.role == .worker }
        guard !rows.isEmpty, rect.width > 4 else { return }
        let latest = state.traffic.latest
        let entryW = 14
        let perLine = max(1, (rect.width - 3) / entryW)
        let capacity = perLine * rect.height
        grid.text("─▶", row: rect.row + 1, col: rect.col, .muted, clip: clip)
        for (i, row) in rows.prefix(capacity).enumerated() {
            let line = rect.row + i / perLine, col = rect.col + 3 + (i % perLine) * entryW
            var text = "● \(row.pid)"
            if let w = latest?.requests, !w.byWorker.isEmpty {
                text += " " + Format.rate(Double(w.byWorker[row.pid] ?? 0))
            }
            if i == capacity - 1 && rows.count > capacity { text = "+\(rows.count - capacity + 1) more" }
            grid.text(
                TextWidth.truncate(text, to: entryW - 1), row: line, col: col, CellStyle(fg: row.health.tone),
                clip: rect.intersection(clip))
        }
    }

    static func supervisorLine(
        _ c: Component, _ state: DashboardState, row: Int, col: Int, into grid: inout Grid,
        clip: Rect
    ) {
        let health = ComponentHealth.of(c.name, in: state)
        var x = col
        x += grid.text(
            "\(c.name) \(c.kind.rawValue) ", row: row, col: x, CellStyle(fg: health.tone, bold: true),
            clip: clip)
        let root = state.root(of: c.name)
        x += grid.text(
            root.map { "● \($0.pid) \($0.phase.rawValue)" } ?? launchBody(c.name, state), row: row, col: x,
            CellStyle(fg: health.tone), clip: clip)
        grid.text(
            " ─ supervises " + c.supervises.joined(separator: ", "),
            row: row, col: x, .muted, clip: clip)
    }
}
