import StackModel
import StackRecipes
import Supervision

/// Everything that can change the dashboard: input from the terminal and news from the stack.
public enum Message: Sendable, Equatable {
    /// A key press.
    case key(Key)
    /// A left click at a screen cell.
    case click(row: Int, col: Int)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
    /// Time passed: `nowMs` is ms since launch on the events' clock.
    case tick(nowMs: Int)
    /// The stack this dashboard shows (sent once it is chosen, before its events).
    case topology(Topology)
    /// Events from the runtime and the observer, in order.
    case events([StackEvent])
    /// The observer's current views of every component (`StackObserver.components`).
    case processes([ComponentView])
    /// CPU and memory per pid, sampled from /proc.
    case usage([Int32: UsageReading])
    /// One more second of traffic.
    case traffic(TrafficSecond)
    /// Text read from one of `component`'s logs (may split lines; `LogRing` joins them).
    case log(component: String, text: String)
    /// The generated files of the stack (or of one component), for the config viewer.
    case configFiles([RenderedFile])
    /// The stacks to offer when started without a topology.
    case picker([PickerEntry])
    /// Why the load keys cannot act now (no load generator, it failed); nil: they can.
    case loadUnavailable(String?)
    /// The scenarios for the drill menu, each with why it does not apply (answers `.listDrills`).
    case drillMenu([DrillMenuItem])
    /// The running drill moved on: `phase` ("warming up", "injected", …) and a short detail.
    case drillProgress(phase: String, detail: String)
    /// The drill ended: its report enters the timeline, its summary the footer.
    case drillFinished(DrillOutcome)
    /// A stop signal (SIGINT, SIGTERM, SIGHUP) arrived: stop the stack and leave, like `q`.
    case interrupted(signal: String)
}
