import Glibc
import Runtime
import StackModel

/// What a drill must undo however it ends: frozen processes to continue, the crash-loop
/// switch to remove, the sample tap to take off, and a load it started to stop.
struct DrillCleanups: Sendable {
    let live: LiveStack
    /// The runner turned the load on (it was off or paused): turn it off again.
    let stopLoad: Bool
    /// stop-worker's frozen processes not yet continued.
    var stopped: [(pid: Int32, component: String)] = []
    var crashSwitch: CrashLoopSwitch?
    private var done = false

    init(live: LiveStack, stopLoad: Bool) {
        self.live = live
        self.stopLoad = stopLoad
    }

    /// SIGCONT to every stopped process (checked like any fault, reported as `fault` events);
    /// returns when it went out, nil when nothing was stopped.
    mutating func continueStopped() -> Int? {
        guard !stopped.isEmpty else { return nil }
        let injector = FaultInjector(live: live)
        var at: Int?
        for (pid, component) in stopped {
            let outcome = injector.send(DrillSignal.cont, name: DrillSignal.name(DrillSignal.cont), to: pid,
                                        component: component, root: false)
            live.emit(outcome.event)
            if outcome.delivered { at = at ?? outcome.event.tMs }
        }
        stopped = []
        return at ?? live.stack.clock.elapsedMs
    }

    /// Undoes everything still to undo; safe to call twice.
    mutating func run() {
        guard !done else { return }
        done = true
        _ = continueStopped()
        crashSwitch?.turnOff()
        live.traffic.setSampleObserver(nil)
        if stopLoad { live.traffic.stopLoad() }
    }
}
