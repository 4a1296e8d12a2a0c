import Glibc
import Supervision

/// The body of `StackWatcher`'s watch thread: waits on pidfds, reports exits, scans /proc on a
/// schedule that tightens after each exit, and feeds the observer its ticks.
final class WatchLoop {
    /// A parent that lost a child and is expected to replace it.
    struct Pending {
        var expected: Int
        var untilMs: Int
        var lastChildren: Set<Int32>
        var nextCheckMs: Int
    }

    let watcher: StackWatcher
    private var scanner: ProcessScanner
    private let waiter: ExitWaiter
    private let exitLookup = ExitLookup()
    private var roots: [Int32: ChildProcess]
    private var nextScanMs = 0
    private var rescans: [Int] = []
    private var pending: [Int32: Pending] = [:]
    private var lastSeen = Set<ProcessIdentity>()
    private let busyProbe: BusyProbe
    /// When workers were last probed for busy/idle (at most once a second: it reads socket tables).
    private var busyProbedMs = Int.min / 2
    private var lastBusy: [Int32: Bool] = [:]
    private var procRoot: String? { (watcher.table as? LinuxProcessTable)?.procRoot }

    init(watcher: StackWatcher) {
        self.watcher = watcher
        scanner = ProcessScanner(table: watcher.table, assigner: ComponentAssigner(stack: watcher.stack))
        // STACKTOP_SCAN=full reads every process at every scan, as before the scoped scan (for
        // measuring one against the other: benchmarks/scale.py).
        if let mode = getenv("STACKTOP_SCAN"), String(cString: mode) == "full" { scanner.scope.maxRange = -1 }
        waiter = ExitWaiter(wakeUp: watcher.wakeWatch)
        var roots: [Int32: ChildProcess] = [:]
        for c in watcher.stack.components { if let p = c.process { roots[p.pid] = p } }
        self.roots = roots
        busyProbe = BusyProbe(
            plan: watcher.stack.plan, procRoot: (watcher.table as? LinuxProcessTable)?.procRoot ?? "/proc")
    }

    func run() {
        let clock = watcher.stack.clock
        let settings = watcher.settings
        scan()
        while !watcher.stopRequested {
            var now = clock.elapsedMs
            var due = nextScanMs
            if let d = watcher.nextDeadline { due = min(due, d) }
            if let p = pending.values.map(\.nextCheckMs).min() { due = min(due, p) }
            let outcome = waiter.wait(timeoutMs: max(0, due - now))
            if !outcome.exited.isEmpty { exited(outcome.exited) }
            if watcher.stopRequested { break }
            now = clock.elapsedMs
            if let d = watcher.nextDeadline, d <= now {
                watcher.record { s, t in s.observer.handle(.tick, at: t) }
            }
            checkPendingParents(now: now, every: settings.childCheckMs)
            let adopted = watcher.takeAdopted()
            if !adopted.isEmpty { adopt(adopted) }
            let failed = watcher.takeFailedRestarts()
            if !failed.isEmpty { restartsFailed(failed) }
            if clock.elapsedMs >= nextScanMs { scan() }
        }
        // Exits that happened before the stop request are still reported.
        let last = waiter.wait(timeoutMs: 0)
        if !last.exited.isEmpty { exited(last.exited) }
    }

    /// Takes on the new roots of components restarted in place: their sessions are scanned from
    /// now on (the old ones dropped), their exits reaped here, and their exits are failures again.
    private func adopt(_ adopted: [StackWatcher.Adopted]) {
        let late = waiter.wait(timeoutMs: 0)
        if !late.exited.isEmpty { exited(late.exited) }
        for a in adopted {
            roots[a.process.pid] = a.process
            scanner.adopt(session: a.process.pid, component: a.component)
            for name in [a.component] + a.hosted {
                watcher.record { s, now in s.observer.handle(.restarted(component: name), at: now) }
            }
        }
        nextScanMs = watcher.stack.clock.elapsedMs
    }

    /// Components whose restart in place failed: the old processes' exits first, then the
    /// observer learns that nothing will start them again.
    private func restartsFailed(_ names: [String]) {
        let late = waiter.wait(timeoutMs: 0)
        if !late.exited.isEmpty { exited(late.exited) }
        for name in names {
            watcher.record { s, now in s.observer.handle(.restartFailed(component: name), at: now) }
        }
        nextScanMs = watcher.stack.clock.elapsedMs
    }

    /// Scans /proc, reports exits that happened meanwhile first, then the scan; watches new pids.
    /// A zombie whose pidfd is open and silent stays in the scan: its exit is the pidfd's to
    /// report (with how it ended), else the scan would call it vanished first.
    private func scan() {
        let waiter = self.waiter
        let result = scanner.scan { r in waiter.watched[r.pid]?.startTime == r.startTimeTicks }
        let late = waiter.wait(timeoutMs: 0)
        if !late.exited.isEmpty { exited(late.exited) }
        var gone: [ExitedProcess] = []
        var seen = Set<ProcessIdentity>()
        for r in result.records {
            let id = ProcessIdentity(pid: r.pid, startTime: r.startTimeTicks)
            seen.insert(id)
            // A zombie kept in the scan whose pidfd just reported is not watched again.
            if r.isDead { continue }
            if !lastSeen.contains(id) || !waiter.isWatching(r.pid) {
                if !waiter.watch(pid: r.pid, startTime: r.startTimeTicks) {
                    gone.append(ExitedProcess(pid: r.pid, startTime: r.startTimeTicks, pidfd: nil))
                }
            }
        }
        for pid in waiter.watched.keys where scanner.parents[pid] == nil { waiter.unwatch(pid) }
        lastSeen = seen
        let usage = scanner.meter.usage
        let appComponents = Set(watcher.stack.plan.processes.filter { $0.kind.role == .app }.map(\.component))
        let workers = result.snapshot.processes.filter { $0.role == .worker && appComponents.contains($0.component) }
            .map(\.pid)
        var busy = lastBusy.filter { workers.contains($0.key) }
        let probeNow = watcher.stack.clock.elapsedMs
        if !busyProbe.isEmpty && probeNow - busyProbedMs >= watcher.settings.slowScanMs {
            busyProbedMs = probeNow
            let inRequest = busyProbe.busy(workers)
            busy = [:]
            for pid in workers { busy[pid] = inRequest.contains(pid) }
            lastBusy = busy
        }
        watcher.record { s, now in
            s.scans += 1
            s.lastScanMs = now
            s.usage = usage
            s.busy = busy
            return s.observer.handle(.scanned(result.snapshot), at: now)
        }
        // Listed alive, gone before its pidfd opened: its exit comes after the scan that saw it.
        if !gone.isEmpty { exited(gone) }
        let now = watcher.stack.clock.elapsedMs
        rescans.removeAll { $0 <= now }
        nextScanMs = rescans.first ?? now + watcher.settings.slowScanMs
        // A process held back (a fork about to exec or rename itself) is looked at again soon:
        // it is placed as soon as it is claimed, or once it settles.
        if scanner.assigner.nextSettleTicks != nil {
            nextScanMs = min(nextScanMs, now + watcher.settings.heldRescanMs)
        }
    }

    /// Reports exits (with the signal or status, or why neither can be learnt), schedules the
    /// rescans and the replacement watch, and asks for a health probe.
    private func exited(_ processes: [ExitedProcess]) {
        let stopping = watcher.isStopping
        for gone in processes {
            let pid = gone.pid
            var signal: Int32?
            var status: Int32?
            var unknown: String?
            if let root = roots[pid], root.startTimeTicks == gone.startTime || root.startTimeTicks == 0 {
                // Our own child: reap it (the pidfd turns readable as it becomes a zombie).
                var result = root.poll()
                for _ in 0..<50 where result == nil {
                    Stopwatch.sleep(ms: 1)
                    result = root.poll()
                }
                switch result {
                case let .signaled(s)?: signal = s
                case let .exited(c)?: status = c
                case nil: unknown = "stacktop's own child did not become reapable within 50 ms"
                }
            } else {
                switch exitLookup.answer(
                    pid: pid, startTime: gone.startTime, pidfd: gone.pidfd,
                    parent: scanner.parents[pid])
                {
                case let .ended(.signaled(s)): signal = s
                case let .ended(.exited(c)): status = c
                case let .unknown(why): unknown = why
                }
            }
            watcher.record { s, now in
                s.observer.handle(.exited(pid: pid, signal: signal, status: status, unknown: unknown), at: now)
            }
            if !stopping, let parent = scanner.parents[pid], scanner.knows(parent) {
                expectReplacement(from: parent, child: pid)
            }
        }
        let now = watcher.stack.clock.elapsedMs
        rescans = watcher.settings.rescanAfterExitMs.map { now + $0 }
        nextScanMs = min(nextScanMs, rescans.first ?? now)
        if !stopping { watcher.probeSoon() }
    }

    private func expectReplacement(from parent: Int32, child: Int32) {
        let now = watcher.stack.clock.elapsedMs
        let until = now + watcher.settings.observer.replacementWindowMs
        if var p = pending[parent] {
            p.expected += 1
            p.untilMs = until
            p.lastChildren.insert(child)
            pending[parent] = p
        } else {
            var children = childPids(of: parent) ?? []
            children.insert(child)
            pending[parent] = Pending(
                expected: 1, untilMs: until, lastChildren: children,
                nextCheckMs: now + watcher.settings.childCheckMs)
        }
    }

    /// Looks at the children of parents due a replacement; a new child means a scan now.
    private func checkPendingParents(now: Int, every interval: Int) {
        guard !pending.isEmpty else { return }
        if watcher.isStopping {
            pending = [:]
            return
        }
        for (parent, var p) in pending where p.nextCheckMs <= now {
            guard now < p.untilMs, let children = childPids(of: parent) else {
                pending[parent] = nil
                continue
            }
            let fresh = children.subtracting(p.lastChildren)
            p.lastChildren = children
            p.nextCheckMs = now + interval
            if !fresh.isEmpty {
                nextScanMs = now
                p.expected -= fresh.count
            }
            pending[parent] = p.expected > 0 ? p : nil
        }
    }

    /// The pids of `parent`'s children (every thread's children file); nil when it is gone.
    private func childPids(of parent: Int32) -> Set<Int32>? {
        guard let procRoot else {
            let all = watcher.table.snapshot()
            guard all.contains(where: { $0.pid == parent && !$0.isDead }) else { return nil }
            return Set(all.filter { $0.ppid == parent && !$0.isDead }.map(\.pid))
        }
        guard let dir = opendir("\(procRoot)/\(parent)/task") else { return nil }
        defer { closedir(dir) }
        var result = Set<Int32>()
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let tid = Int32(name) else { continue }
            guard let bytes = SmallFile.read("\(procRoot)/\(parent)/task/\(tid)/children") else { continue }
            for field in bytes.split(separator: 32) {
                if let pid = Int32(String(decoding: field, as: UTF8.self)) { result.insert(pid) }
            }
        }
        return result
    }
}
