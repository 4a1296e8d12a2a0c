import StackModel

/// Something the dashboard asks the wiring to do: effects as data, carried out outside the pure core.
///
/// Every fault command names its pid, so the timeline can say at once what was done to which
/// process; the wiring confirms with a `fault` event (or reports an `error` event).
public enum Command: Sendable, Equatable {
    /// Send `signal` to `pid` (a process of `component`).
    case signal(pid: Int32, Signal, component: String)
    /// SIGKILL the master (root process) of `component`.
    case killMaster(component: String, pid: Int32)
    /// SIGKILL the front server's root process.
    case killFront(component: String, pid: Int32)
    /// Carry out `operation` on `component` (a reload, a restart, one worker more or less); with
    /// `bumpVersion`, write the demo app's next version first (a deploy). The wiring confirms
    /// with a `fault` event naming the method, or an `error` event.
    case operate(ComponentOperation, component: String, bumpVersion: Bool)
    /// Switch the load generator on or off.
    case setLoad(on: Bool)
    /// Change the load generator's target rate (requests per second, already clamped).
    case setRate(Int)
    /// The config viewer opened for `component` and has no files for it: send `.configFiles`.
    case openConfig(component: String)
    /// The drill menu opened: send `.drillMenu` with the scenarios resolved against the stack.
    case listDrills
    /// Run the scenario `scenario` under load at `rate` requests/s; answer with `.drillProgress`
    /// while it runs and one `.drillFinished` at the end (also when it is refused or stopped).
    case runDrill(scenario: String, rate: Int)
    /// Launch a stack chosen in the picker.
    case launch(Topology)
    /// Stop the stack and leave.
    case quit
}
