import Supervision

/// Draws the traffic panel: rps and p99 sparklines over the last minute, counts by status and error,
/// and (when tall enough) the requests each worker answered in the last second.
enum TrafficView {
    static func draw(_ state: DashboardState, into grid: inout Grid, at rect: Rect) {
        let area = Rect(row: rect.row + 1, col: rect.col + 1, width: rect.width - 2, height: rect.height - 1)
        let valueW = 9
        let sparkW = max(0, min(60, area.width - 4 - valueW - 1))
        let seconds = min(sparkW, state.traffic.windows.count)
        let load = (state.loadOn ? "load on" : "load off") + (seconds > 0 ? " · last \(seconds) s" : "")
        PanelTitle.draw("traffic", hint: load, into: &grid, at: rect)
        guard area.height > 0, area.width > 0 else { return }
        let history = state.traffic
        guard let latest = history.latest else {
            grid.text(
                state.loadOn ? "waiting for the first second of traffic…" : "no traffic yet — l starts the load",
                row: area.row, col: area.col, .muted, clip: area)
            return
        }
        let sparkRows = area.height >= 16 ? 3 : 1
        var y = area.row
        func put(_ label: String, _ text: String, _ style: CellStyle) {
            guard y < area.bottom else { return }
            let x = area.col + grid.text(label, row: y, col: area.col, .muted, clip: area)
            grid.text(text, row: y, col: x, style, clip: area)
            y += 1
        }
        func chart(_ label: String, _ values: [Double], _ value: String, _ style: CellStyle) {
            let lines = Sparkline.render(values, width: sparkW, rows: sparkRows)
            for (i, line) in lines.enumerated() {
                let last = i == lines.count - 1
                put(
                    last ? label : "    ", line + (last ? " " + TextWidth.fit(value, valueW, alignRight: true) : ""),
                    style)
            }
        }
        let second = latest.requests
        chart("rps ", history.rpsSeries(sparkW), Format.one(second.rps) + "/s", CellStyle(fg: .info))
        chart("p99 ", history.p99Series(sparkW), Format.ms(second.p99Ms), CellStyle(fg: latencyTone(second.p99Ms)))
        put(
            "p50 ",
            Format.ms(second.p50Ms) + " · sent " + Format.one(second.rps)
                + (latest.traffic.load ? " of \(latest.traffic.rate)/s" : "/s, load off"), .muted)
        statusLine("last 1s ", second.byStatus, second.byError, y: &y, area: area, into: &grid)
        statusLine("total   ", history.totalByStatus, history.totalByError, y: &y, area: area, into: &grid)
        if !second.byVersion.isEmpty {
            // Which app version served the last second: a deploy's cutover shows here.
            put(
                "version ",
                second.byVersion.sorted { $0.key < $1.key }.map { "v\($0.key)×\($0.value)" }.joined(separator: " "),
                CellStyle(fg: second.byVersion.count > 1 ? .warn : .info))
        }
        guard area.bottom - y >= 3, !second.byWorker.isEmpty else { return }
        y += 1
        put("by worker, last second:", "", .muted)
        let byPid = second.byWorker.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let top = max(1, byPid.first?.value ?? 1)
        let barW = max(1, area.width - 18)
        for (pid, n) in byPid where y < area.bottom {
            let component = state.pidComponents[pid] ?? "?"
            let bar = String(repeating: "█", count: max(n > 0 ? 1 : 0, n * barW / top))
            put(
                TextWidth.fit("\(component) \(pid)", 13) + " ",
                TextWidth.fit(String(n), 3, alignRight: true) + " " + bar,
                CellStyle(fg: .info))
        }
    }

    static func statusLine(
        _ label: String, _ byStatus: [Int: Int], _ byError: [LoadErrorKind: Int], y: inout Int,
        area: Rect, into grid: inout Grid
    ) {
        guard y < area.bottom else { return }
        var x = area.col + grid.text(label, row: y, col: area.col, .muted, clip: area)
        if byStatus.isEmpty && byError.isEmpty { grid.text("no requests", row: y, col: x, .muted, clip: area) }
        for (status, n) in byStatus.sorted(by: { $0.key < $1.key }) {
            x += grid.text("\(status)×\(n) ", row: y, col: x, CellStyle(fg: statusTone(status)), clip: area)
        }
        for (kind, n) in byError.sorted(by: { $0.key < $1.key }) {
            x += grid.text("\(kind)×\(n) ", row: y, col: x, CellStyle(fg: .bad, bold: true), clip: area)
        }
        y += 1
    }

    static func statusTone(_ status: Int) -> Tone {
        switch status {
        case ..<400: return .good
        case ..<500: return .warn
        default: return .bad
        }
    }

    static func latencyTone(_ ms: Double?) -> Tone {
        guard let ms else { return .muted }
        return ms < 200 ? .info : (ms < 1_000 ? .warn : .bad)
    }
}
