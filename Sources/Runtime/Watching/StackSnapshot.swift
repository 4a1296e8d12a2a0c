import Supervision

/// What a running stack looks like at one moment, for the dashboard: components with their
/// process trees and slots, per-process CPU and memory, and whether each hop answers.
public struct StackSnapshot: Sendable {
    /// When it was taken, on the stack's clock.
    public var tMs: Int
    /// Every component, in plan order, as `StackObserver` sees it.
    public var components: [ComponentView]
    /// CPU% and RSS by pid, as of the last scan.
    public var usage: [Int32: ProcessUsage]
    /// Every hop probed so far, in the order first probed.
    public var health: [HopHealth.Status]
    /// /proc scans done so far (a cheap liveness number for the status line).
    public var scans: Int
    /// When the last scan was taken (ms on the stack's clock); nil before the first.
    public var lastScanMs: Int?
    /// App-server workers at the last scan: in a request (true) or idle (false), from
    /// `BusyProbe`. Workers of servers without a socket of their own are not listed.
    public var busy: [Int32: Bool] = [:]

    /// The component named `name`.
    public func component(_ name: String) -> ComponentView? { components.first { $0.name == name } }
}

/// The watcher's mutable state, guarded by one lock: the pure observer and health tracker it
/// feeds, the log rings, and the latest usage numbers.
struct WatchState: Sendable {
    var observer: StackObserver
    var health = HopHealth()
    var logs: ComponentLogs
    var usage: [Int32: ProcessUsage] = [:]
    var scans = 0
    var lastScanMs: Int?
    var busy: [Int32: Bool] = [:]
    /// Set by `stopping(component: nil)`: probes pause, expected exits are not failures.
    var stopping = false

    func snapshot(at now: Int) -> StackSnapshot {
        StackSnapshot(
            tMs: now, components: observer.components, usage: usage, health: health.all,
            scans: scans, lastScanMs: lastScanMs, busy: busy)
    }
}
