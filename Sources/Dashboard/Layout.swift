/// Where each panel of the stack screen goes for a terminal size; shared by drawing and clicks.
public struct Layout: Sendable, Equatable {
    public static let minWidth = 80
    public static let minHeight = 24

    public var header: Rect
    public var topology: Rect
    public var processes: Rect
    public var traffic: Rect
    public var timeline: Rect
    /// The log pane when shown (below the timeline on tall screens, in its place on short ones).
    public var log: Rect?
    public var footer: Rect

    /// Whether the terminal is big enough for the dashboard.
    public static func fits(width: Int, height: Int) -> Bool {
        width >= minWidth && height >= minHeight
    }

    public init(_ state: DashboardState) {
        let screen = Rect(row: 0, col: 0, width: state.width, height: state.height)
        var rest: Rect
        (header, rest) = screen.splitTop(1)
        footer = Rect(row: max(0, rest.bottom - 1), col: 0, width: state.width, height: min(1, rest.height))
        rest.height = max(0, rest.height - 1)
        let available = rest.height
        let topologyRows = min(TopologyView.rowsNeeded(state), max(5, available / 3))
        (topology, rest) = rest.splitTop(topologyRows)
        let bottomMin = 8
        let wanted = state.rows.count + 2
        let processRows = min(max(6, wanted), max(6, rest.height - bottomMin), max(6, rest.height * 11 / 20))
        var bottom: Rect
        (processes, bottom) = rest.splitTop(processRows)
        let trafficWidth = min(50, max(36, state.width * 2 / 5))
        if state.showLog && bottom.height >= 20 {
            let upper: Rect
            var lower: Rect
            (upper, lower) = bottom.splitTop(max(bottomMin, bottom.height / 2))
            (traffic, timeline) = upper.splitLeft(trafficWidth)
            log = lower
        } else {
            (traffic, timeline) = bottom.splitLeft(trafficWidth)
            log = state.showLog ? timeline : nil
        }
    }

    /// The rectangle of a focusable panel (the log only when shown).
    public func rect(of panel: DashboardState.Panel) -> Rect? {
        switch panel {
        case .processes: return processes
        case .timeline: return log == timeline ? nil : timeline
        case .log: return log
        }
    }

    /// Rows of the worker table that fit under its title and column header.
    public var tableRows: Int { max(0, processes.height - 2) }

    /// The first table row shown so that `selected` is visible.
    public func tableTop(selected: Int, count: Int) -> Int {
        let visible = tableRows
        guard visible > 0, count > visible else { return 0 }
        return min(max(0, selected - visible + 1), count - visible)
    }
}
