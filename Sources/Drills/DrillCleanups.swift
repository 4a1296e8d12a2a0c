import Glibc
import Live
import Runtime
import StackModel

/// What a drill must undo however it ends: frozen processes to continue, the crash-loop
/// switch to remove, recycle's config to put back, the sample tap to take off, and the load put back as it was.
public struct DrillCleanups: Sendable {
    /// What to do with the load at the end: the drill found it off, paused, or running.
    public enum LoadRestore: Sendable { case stop, pause, leave }

    public let live: LiveStack
    public let restore: LoadRestore
    /// stop-worker's frozen processes not yet continued.
    public var stopped: [(pid: Int32, component: String)] = []
    public var crashSwitch: CrashLoopSwitch?
    /// recycle's rewritten config, put back as stacktop wrote it (recycling stays on in the
    /// running server until its next reload).
    public var recycleConfig: RecycleConfig?
    private var done = false

    public init(live: LiveStack, restore: LoadRestore) {
        self.live = live
        self.restore = restore
    }

    /// SIGCONT to every stopped process (checked like any fault, reported as `fault` events);
    /// returns when it went out, nil when nothing was stopped.
    public mutating func continueStopped() -> Int? {
        guard !stopped.isEmpty else { return nil }
        let injector = FaultInjector(live: live)
        var at: Int?
        for (pid, component) in stopped {
            let outcome = injector.send(
                DrillSignal.cont, name: DrillSignal.name(DrillSignal.cont), to: pid,
                component: component, root: false)
            live.emit(outcome.event)
            if outcome.delivered { at = at ?? outcome.event.tMs }
        }
        stopped = []
        return at ?? live.stack.clock.elapsedMs
    }

    /// Undoes everything still to undo; safe to call twice.
    public mutating func run() {
        guard !done else { return }
        done = true
        _ = continueStopped()
        crashSwitch?.turnOff()
        recycleConfig?.restore()
        live.traffic.setSampleObserver(nil)
        switch restore {
        case .stop: live.traffic.stopLoad()
        case .pause: live.traffic.pause()
        case .leave: break
        }
    }
}
