import Supervision

/// The body of `StackWatcher`'s housekeeping thread: probes the stack's hops at a low rate (and
/// soon after an exit), tails its logs and reports a full disk under the run dir; blocks on a
/// wake-up pipe between rounds.
final class Housekeeping {
    let watcher: StackWatcher
    private let follower: LogFollower
    private let hops: [HopProbe]
    private let client: LoopbackClient
    private var disk: DiskSpaceWatch

    init(watcher: StackWatcher) {
        self.watcher = watcher
        follower = LogFollower(stack: watcher.stack)
        hops = HopProbe.hops(of: watcher.stack.plan, httpFrontDoor: !watcher.stack.origin.isAttached)
        client = LoopbackClient(timeoutMs: watcher.settings.probeTimeoutMs)
        disk = DiskSpaceWatch(path: watcher.stack.runDir)
    }

    func run() {
        let clock = watcher.stack.clock
        let settings = watcher.settings
        var nextProbe = 0
        var nextLogs = 0
        while !watcher.stopRequested {
            var now = clock.elapsedMs
            if now >= nextLogs {
                watcher.appendLogs(follower.poll())
                if let full = disk.check() {
                    watcher.record { _, now in [StackEvent(tMs: now, .error(message: full, logTail: []))] }
                }
                nextLogs = now + settings.logIntervalMs
            }
            if now >= nextProbe {
                probeAll()
                nextProbe = clock.elapsedMs + settings.healthIntervalMs
            }
            now = clock.elapsedMs
            _ = watcher.wakeHousekeeping.wait(timeoutMs: max(0, min(nextProbe, nextLogs) - now))
            if watcher.takeProbeSoon() {
                nextProbe = min(nextProbe, clock.elapsedMs + settings.healthAfterExitMs)
            }
        }
        watcher.appendLogs(follower.poll())
    }

    /// Probes every hop once, unless the stack is being stopped (its hops then go quiet on purpose).
    private func probeAll() {
        for hop in hops {
            if watcher.stopRequested || watcher.isStopping { return }
            let result = hop.probe(client: client)
            watcher.record { s, now in
                s.health.record(
                    hop: hop.hop, component: hop.component, answering: result.answering,
                    detail: result.detail, at: now)
            }
        }
    }
}
