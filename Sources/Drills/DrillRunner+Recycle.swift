import Runtime
import StackModel
import Supervision
import Traffic

/// recycle's measurements: the window of recycling against the one before, and the capacity probes.
extension DrillRunner {
    /// recycle: a window of load with recycling on (from now), against the same length before
    /// the reload; recycles counted in the process tree and in the server's own log.
    public func measureRecycling(_ config: RecycleConfig, faultMs: Int, shouldStop: () -> Bool) -> DrillReport.Recycle {
        let length = DrillScenario.recycleWindowMs
        let start = live.stack.clock.elapsedMs
        let loggedBefore = config.loggedRecycles()
        while live.stack.clock.elapsedMs < start + length && !shouldStop() { Stopwatch.sleep(ms: Self.tickMs) }
        let end = live.stack.clock.elapsedMs
        let loggedAfter = config.loggedRecycles()
        Stopwatch.sleep(ms: 300)  // replacements of the window's last recycles are reported
        let (kept, replaced) = recycleTallies()
        let setup = config.setup
        // A shorter warm-up (a user scenario's warmup_ms) gives a shorter baseline, never an empty stretch.
        let baselineFrom = max(faultMs - length, kept.first?.scheduledMs ?? faultMs)
        return DrillReport.Recycle(
            how: setup.how, maxRequests: setup.maxRequests, jitter: setup.jitter,
            recyclesInTree: replaced.filter { $0 >= start && $0 < end }.count,
            recyclesInLog: loggedBefore.flatMap { b in loggedAfter.map { $0 - b } }, marker: setup.marker,
            baseline: .measure(kept, fromMs: baselineFrom, lengthMs: faultMs - baselineFrom, faultMs: faultMs),
            recycling: .measure(kept, fromMs: start, lengthMs: end - start, faultMs: faultMs))
    }

    /// How long each capacity probe of recycle runs.
    public static let capacityProbeMs = 2_000

    /// The stack's capacity now: a closed loop of a few connections through the front door.
    public func probeCapacity() -> DrillReport.Capacity? {
        let connections = 8
        guard let r = CapacityProbe.run(url: live.url, connections: connections, durationMs: Self.capacityProbeMs)
        else { return nil }
        let answered = r.byStatus.filter { $0.key < 500 }.values.reduce(0, +)
        let failed = r.byStatus.filter { $0.key >= 500 }.values.reduce(0, +) + r.byError.values.reduce(0, +)
        return DrillReport.Capacity(
            answeredPerSecond: r.seconds > 0 ? Double(answered) / r.seconds : 0, failed: failed,
            connections: connections, lengthMs: Int(r.seconds * 1000))
    }
}
