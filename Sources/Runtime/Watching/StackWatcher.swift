import Dispatch
import Foundation
import Glibc
import StackRecipes
import Supervision
import Synchronization

/// Watches a running stack live: its process trees, exits, replacements, CPU and memory, hop
/// health and logs, reported as `StackEvent`s in order and readable as snapshots at any time.
///
/// Two threads do the work. The watch thread blocks in poll(2) on a pidfd per process and a
/// wake-up pipe: an exit is reported the moment it happens, then /proc is rescanned at 2, 10,
/// 30, 100 and 300 ms and, while a replacement is due, the parent's children are looked at
/// every few ms; with nothing happening it scans once a second. The housekeeping thread probes
/// the hops every 2 s (and right after an exit) and tails the logs. Neither ever spins.
///
/// The sink is called from either thread, one event at a time, in order. It may read snapshots
/// but must not call `stopping` or `stop`.
public final class StackWatcher: Sendable {
    /// Rates and windows.
    public struct Settings: Sendable, Equatable {
        /// Rescans after an exit, in ms after it.
        public var rescanAfterExitMs: [Int] = [2, 10, 30, 100, 300]
        /// The scan interval when nothing happens.
        public var slowScanMs = 1000
        /// How often the parent of an exited process is looked at while its replacement is due.
        public var childCheckMs = 5
        /// The scan interval while a new process is held back until it execs or settles.
        public var heldRescanMs = 10
        public var healthIntervalMs = 2000
        /// The hops are probed this long after an exit.
        public var healthAfterExitMs = 20
        public var probeTimeoutMs = 1000
        public var logIntervalMs = 500
        /// Lines kept per component.
        public var logLines = 200
        public var observer = ObserverSettings()

        public init() {}
    }

    public let stack: RunningStack
    public let settings: Settings
    let table: any ProcessTable
    private let sink: EventSink
    private let state: Mutex<WatchState>
    /// Held while events are made and handed to the sink, so they leave in the order made.
    private let emitting = Mutex<Int>(0)
    let wakeWatch = WakeUpPipe()
    let wakeHousekeeping = WakeUpPipe()
    private let control = Mutex(Control())
    private let finished = DispatchSemaphore(value: 0)

    /// A component restarted in place: its new root, and the components it starts.
    struct Adopted: Sendable {
        var component: String
        var process: ChildProcess
        var hosted: [String]
    }

    struct Control: Sendable {
        var started = false
        var stopRequested = false
        var stopped = false
        var probeSoon = false
        /// Roots of components restarted in place, for the watch thread to take on.
        var adopted: [Adopted] = []
        /// Components whose restart in place failed, for the watch thread to report.
        var failedRestarts: [String] = []
    }

    public init(
        stack: RunningStack, table: any ProcessTable = LinuxProcessTable(), settings: Settings = Settings(),
        events: @escaping EventSink
    ) {
        self.stack = stack
        self.settings = settings
        self.table = table
        self.sink = events
        let names = stack.plan.processes.map(\.component)
        state = Mutex(
            WatchState(
                observer: StackObserver(settings: settings.observer, components: names),
                logs: ComponentLogs(capacity: settings.logLines)))
    }

    /// Starts both threads; the first scan's `spawned` events follow at once.
    public func start() {
        let first = control.withLock { c -> Bool in
            defer { c.started = true }
            return !c.started
        }
        guard first else { return }
        let watch = Thread { [self] in
            WatchLoop(watcher: self).run()
            finished.signal()
        }
        watch.name = "stacktop.watch"
        watch.start()
        let housekeeping = Thread { [self] in
            Housekeeping(watcher: self).run()
            finished.signal()
        }
        housekeeping.name = "stacktop.housekeeping"
        housekeeping.start()
    }

    /// Tells the observer stacktop is stopping `component` (nil: the whole stack), so the exits
    /// that follow are expected, not failures. Call it before signalling anything.
    public func stopping(component: String? = nil) {
        record { s, now in
            if component == nil { s.stopping = true }
            return s.observer.handle(.stopping(component: component), at: now)
        }
    }

    /// `component` was restarted in place: its new root `process` leads a new session. The
    /// watch thread reports the old processes' exits first, then scans the new session; exits
    /// of the component count as failures again from then on. Call it after the new root is
    /// ready (and after `stopping(component:)` and the stop of the old one).
    /// `hosted` are the components it starts (found in its session by their command lines).
    public func adopt(component: String, process: ChildProcess, hosted: [String] = []) {
        control.withLock { $0.adopted.append(Adopted(component: component, process: process, hosted: hosted)) }
        wakeWatch.wake()
    }

    /// The restart in place of `component` failed after `stopping(component:)` (its start could
    /// not be spawned, or its stop left survivors): the watch thread reports the old processes'
    /// exits first, then tells the observer, which clears the stopping state and reports the
    /// stopped roots `down`. `hosted` are the components it would have started.
    public func restartFailed(component: String, hosted: [String] = []) {
        control.withLock { $0.failedRestarts += [component] + hosted }
        wakeWatch.wake()
    }

    /// Takes the components handed over by `restartFailed`.
    func takeFailedRestarts() -> [String] {
        control.withLock { c in
            defer { c.failedRestarts = [] }
            return c.failedRestarts
        }
    }

    /// Takes the roots handed over by `adopt`.
    func takeAdopted() -> [Adopted] {
        control.withLock { c in
            defer { c.adopted = [] }
            return c.adopted
        }
    }

    /// Reports the exits that already happened, ends both threads and waits for them.
    public func stop() {
        let wasRunning = control.withLock { c -> Bool in
            defer { c.stopRequested = true }
            return c.started && !c.stopRequested
        }
        guard wasRunning else { return }
        wakeWatch.wake()
        wakeHousekeeping.wake()
        finished.wait()
        finished.wait()
        control.withLock { $0.stopped = true }
    }

    // MARK: - Reading

    /// The whole picture now.
    public func snapshot() -> StackSnapshot {
        let now = stack.clock.elapsedMs
        return state.withLock { $0.snapshot(at: now) }
    }

    /// The last `lines` lines of `component`'s logs (oldest first).
    public func logTail(_ component: String, lines: Int) -> [String] {
        state.withLock { $0.logs.tail(component, lines) }
    }

    /// Every component's log ring.
    public func logs() -> ComponentLogs {
        state.withLock { $0.logs }
    }

    /// The observer's next deadline, for the watch thread's `.tick`.
    var nextDeadline: Int? { state.withLock { $0.observer.nextDeadline } }

    var isStopping: Bool { state.withLock { $0.stopping } }

    // MARK: - For the threads

    var stopRequested: Bool { control.withLock { $0.stopRequested } }

    /// Asks the housekeeping thread to probe the hops soon (after an exit).
    func probeSoon() {
        control.withLock { $0.probeSoon = true }
        wakeHousekeeping.wake()
    }

    /// Takes the "probe soon" request, if any.
    func takeProbeSoon() -> Bool {
        control.withLock { c in
            defer { c.probeSoon = false }
            return c.probeSoon
        }
    }

    /// Runs `body` on the state at the current time and hands its events to the sink, in order.
    func record(_ body: (inout WatchState, Int) -> [StackEvent]) {
        emitting.withLock { _ in
            let events = state.withLock { s in body(&s, stack.clock.elapsedMs) }
            for event in events { sink(event) }
        }
    }

    /// Appends log chunks (no events).
    func appendLogs(_ chunks: [(component: String, bytes: [UInt8])]) {
        guard !chunks.isEmpty else { return }
        state.withLock { s in
            for (component, bytes) in chunks { s.logs.append(bytes, to: component) }
        }
    }
}
