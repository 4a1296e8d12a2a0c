import Live
import Runtime
import StackModel
import Supervision
import Synchronization

/// One drill on a fresh launch: launch the topology headless (reaper and all, like `up`), run
/// the drill, stop the stack. Shared by `drill` and each repeat of `compare`.
public enum DrillLaunch {
    /// How one launch-and-drill ended.
    public enum Outcome: Sendable {
        /// The drill ran (recovered or not); `survivors`: processes the stop had to leave (none expected).
        case report(DrillReport, survivors: Int, runDir: String)
        /// The scenario does not apply to this stack (or its target vanished before the fault).
        case refused(DrillRefusal)
        /// The topology did not load or the stack did not launch: why.
        case failed(String)
    }

    /// Runs `scenario` on a fresh launch of `topology` with load at `load` requests per second
    /// (default: the topology's rate). `events` gets every event of the stack (and the drill's
    /// `fault` events); `stopFlag` (SIGINT…) ends the launch or the drill early, and the stack
    /// is always stopped before this returns.
    public static func run(
        _ topology: String, scenario: DrillScenario, load: Int?, stopFlag: StopFlag,
        events: EventSink? = nil, progress: @escaping @Sendable (DrillProgress) -> Void
    ) -> Outcome {
        if let refused = DrillListing.refusal(of: scenario, topology: topology) { return .refused(refused) }
        let prepared: LiveStack.Prepared
        do { prepared = try LiveStack.prepare(topology) } catch { return .failed(error.description) }
        let runner = Mutex<DrillRunner?>(nil)
        let errors = Mutex<[String]>([])
        let sink: EventSink = { event in
            events?(event)
            if case let .error(message, tail) = event.kind {
                errors.withLock { $0.append(([message] + tail.suffix(3)).joined(separator: "\n  ")) }
            }
            runner.withLock { $0 }?.observe(event)
        }
        if stopFlag.isSet { return .failed("stopped before the launch") }
        let live: LiveStack
        do {
            live = try LiveStack.launch(prepared, events: sink, shouldStop: { stopFlag.isSet })
        } catch {
            let reported = errors.withLock { $0 }
            let why =
                error is LiveStack.LaunchFailed
                ? (reported.last ?? "the launch failed (see the run dir's logs)") : "\(error)"
            return .failed("\(prepared.topology.name): \(why)\n  run dir (logs kept): \(prepared.context.runDir)")
        }
        let drill = DrillRunner(live: live, scenario: scenario, loadRps: load ?? prepared.topology.traffic.rate)
        runner.withLock { $0 = drill }
        let result = drill.run(progress: progress, shouldStop: { stopFlag.isSet })
        runner.withLock { $0 = nil }
        let stopped = live.stop()
        switch result {
        case let .success(report):
            return .report(report, survivors: stopped?.survivors.count ?? 0, runDir: live.runDir)
        case let .failure(refusal):
            return .refused(refusal)
        }
    }
}
