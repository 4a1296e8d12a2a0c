import StackModel
import StackRecipes

/// How the tracker judges whether the stack is whole again, and what it says when it is not.
extension DrillTracker {
    /// What the latest snapshot says about the watched components' processes.
    struct Judgement {
        /// What keeps the processes from being whole, in words; empty when they are.
        var wrong: [String] = []
        /// The newest `firstSeenMs` among healthy processes that appeared since the fault.
        var newestArrivalMs: Int?
    }

    /// Judges the watched components' processes in the latest snapshot.
    func judge() -> Judgement {
        var j = Judgement()
        for name in plan.watched {
            guard let view = latest.first(where: { $0.name == name }) else {
                j.wrong.append("\(name) has no process")
                continue
            }
            if view.isDown { j.wrong.append(downText(view)) }
            let healthy = view.processes.filter {
                !$0.orphaned && !orphanedPids.contains($0.pid) && Self.isLive($0.phase)
            }
            let orphans = view.processes.filter { $0.orphaned || orphanedPids.contains($0.pid) }
            for (role, count) in (expected[name] ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let have = healthy.filter { $0.role == role }.count
                guard have < count else { continue }
                var text = "\(name) has \(have) of \(count) \(Self.plural(role, count)) running"
                let stray = orphans.filter { $0.role == role }.count
                if stray > 0 { text += " (\(stray) orphaned \(Self.plural(role, stray)) still alive)" }
                j.wrong.append(text)
            }
            for slot in view.slots where slot.phase == .crashLooping {
                j.wrong.append(
                    "\(name) \(slot.role.rawValue) \(slot.number) is crash-looping (\(slot.recentExits) exits in the window)"
                )
            }
            j.newestArrivalMs =
                healthy.filter { beforePids[$0.pid] == nil }.map(\.firstSeenMs).max()
                .map { max($0, j.newestArrivalMs ?? $0) } ?? j.newestArrivalMs
        }
        j.wrong += operationNotDone()
        if plan.signal == DrillSignal.kill {
            for pid in plan.pids where exitedAfterFault[pid] == nil && isAlive(pid) {
                j.wrong.append("pid \(pid) (\(pidComponent[pid] ?? plan.component)) is still alive after SIGKILL")
            }
        }
        return j
    }

    /// What keeps a deploy operation from having taken effect: old workers still running after
    /// a reload, the old root after a restart, too many workers after a scale-down, a command
    /// that has not returned.
    func operationNotDone() -> [String] {
        guard let op = plan.operation else { return [] }
        var wrong: [String] = []
        if op.awaitsEnd, operationEndedAt == nil {
            wrong.append("the command has not returned yet (\(op.how))")
        }
        switch op.operation {
        case .reload:
            for name in plan.watched {
                let old = (workersAtFault[name] ?? []).filter { exitedAfterFault[$0] == nil && isAlive($0) }
                if !old.isEmpty {
                    wrong.append(
                        "\(name): \(old.count) worker\(old.count == 1 ? "" : "s") from before the reload still running")
                }
            }
        case .restart:
            if let pid = rootsAtFault[plan.component], exitedAfterFault[pid] == nil, isAlive(pid) {
                wrong.append("\(plan.component): the root process from before the restart (pid \(pid)) still runs")
            }
        case .removeWorker:
            let want = expected[plan.component]?[.worker] ?? 0
            let have =
                latest.first { $0.name == plan.component }?.processes
                .filter { $0.role == .worker && !$0.orphaned && Self.isLive($0.phase) }.count ?? 0
            if have > want { wrong.append("\(plan.component) has \(have) workers, \(want) wanted") }
        case .addWorker:
            break
        }
        return wrong
    }

    /// Processes that must have answered a request before the stack counts as recovered, those
    /// that have not yet, and when the last of the others first did.
    func servedRequirement() -> (unmet: [String], lastAt: Int?) {
        var unmet: [String] = []
        var lastAt: Int?
        func need(_ served: Int?, _ label: String) {
            if let served { lastAt = max(lastAt ?? served, served) } else { unmet.append(label) }
        }
        for name in plan.watched where attributed.contains(name) {
            guard let view = latest.first(where: { $0.name == name }) else { continue }
            for p in view.processes
            where beforePids[p.pid] == nil && p.role == .worker && !p.orphaned && Self.isLive(p.phase) {
                need(firstServed[p.pid], "\(name) worker \(p.slot) (pid \(p.pid), new) has not answered a request yet")
            }
        }
        if case .stop = plan.step, attributed.contains(plan.component) {
            for pid in plan.pids where exitedAfterFault[pid] == nil && isAlive(pid) {
                need(
                    servedAfterResume[pid],
                    "\(plan.component) worker (pid \(pid)) has not answered a request since SIGCONT")
            }
        }
        return (unmet, lastAt)
    }

    /// When the recovered state began, if the stack is in it now (confirmation aside).
    func candidateStart() -> Int? {
        guard let fault = faultAtMs, let okSince = structureOkSince else { return nil }
        let served = servedRequirement()
        guard served.unmet.isEmpty else { return nil }
        var start = max(fault, okSince, served.lastAt ?? fault)
        if let resume = resumeAt { start = max(start, resume) }
        if let lastFailure = lastFailureAt { start = max(start, lastFailure) }
        if let ended = operationEndedAt { start = max(start, ended) }
        if slowPath != nil {
            // Nothing has happened yet while the slow request is still running.
            guard let answer = slowAnswer else { return nil }
            start = max(start, answer.tMs)
        }
        if let stall = lastStallAt { start = max(start, stall) }
        if plan.bumpsVersion {
            guard let firstNew = firstNewVersionAt else { return nil }
            // The old version answered just now: the cutover is not over (or never will be).
            if let lastOld = lastOldVersionAt, lastOld >= nowMs - plan.scenario.quietMs / 2 { return nil }
            start = max(start, firstNew, lastOldVersionAt ?? fault)
        }
        guard let success = lastSuccessAt, success >= start else { return nil }
        return start
    }

    /// What is still wrong at `nowMs`, for a report without recovery.
    func stillWrong(forced: Bool) -> [String] {
        if let fault = faultAtMs, let start = candidateStart() {
            if forced && nowMs < start + plan.scenario.quietMs {
                return [
                    "whole again from +\(start - fault) ms, but stopped at +\(nowMs - fault) ms, before \(plan.scenario.quietMs) ms without a failed request confirmed it"
                ]
            }
            return ["whole again only from +\(start - fault) ms, after the timeout"]
        }
        var wrong = judge().wrong + servedRequirement().unmet
        if let path = slowPath, slowAnswer == nil { wrong.append("GET \(path) has not been answered yet") }
        if plan.bumpsVersion, let target = targetVersion {
            if firstNewVersionAt == nil {
                wrong.append("no answer carried the new version \(target)")
            } else if let last = lastOldVersionAt, let fault = faultAtMs {
                wrong.append("the old version still answered at +\(last - fault) ms")
            }
        }
        let recent = recentFailures[recentHead...].filter { $0 > nowMs - 1000 && $0 <= nowMs }.count
        if recent > 0 {
            wrong.append("\(recent) request\(recent == 1 ? "" : "s") failed in the last second")
        } else if loadRps > 0, lastRequestAt.map({ $0 <= nowMs - 1000 }) ?? true {
            wrong.append("no request completed in the last second")
        }
        if let fault = faultAtMs, let lastFailure = lastFailureAt, (lastSuccessAt ?? Int.min) < lastFailure {
            wrong.append("the front door has answered no request since the failure at +\(lastFailure - fault) ms")
        }
        if wrong.isEmpty, let fault = faultAtMs {
            wrong.append(
                forced
                    ? "stopped at +\(nowMs - fault) ms, before recovery was seen"
                    : "no recovery seen by +\(nowMs - fault) ms")
        }
        return wrong
    }

    /// The report at `nowMs`; `recoveredAt` when recovery was confirmed.
    func makeReport(recoveredAt: Int?, forced: Bool) -> DrillReport {
        let fault = faultAtMs ?? nowMs
        func rel(_ t: Int?) -> Int? { t.map { $0 - fault } }
        let replaced = replacements.map { r -> DrillReport.Replacement in
            let served: Int?
            if r.role == .worker || r.role == nil {
                served = firstServed[r.new]
            } else {
                served = firstServed.filter { pidParent[$0.key] == r.new }.map(\.value).min()
            }
            let started = startedMs(r.new, seenMs: r.at, notBefore: exitedAfterFault[r.old] ?? fault)
            return DrillReport.Replacement(
                component: r.component, role: r.role?.rawValue ?? "process", oldPid: r.old,
                newPid: r.new, spawnedMs: started - fault, seenMs: r.at - fault,
                firstServedMs: rel(served))
        }
        let newServed = firstServed.filter { spawnedAfterFault[$0.key] != nil }.map(\.value).min()
        var orphans: [DrillReport.Orphan] = []
        for view in latest {
            for p in view.processes where p.orphaned || orphanedPids.contains(p.pid) {
                orphans.append(DrillReport.Orphan(pid: p.pid, component: view.name, role: p.role.rawValue))
            }
        }
        var wrong: [String] = []
        if faultAtMs == nil {
            wrong = ["the fault was never injected"]
        } else if recoveredAt == nil {
            wrong = stillWrong(forced: forced)
        }
        var provoked: DrillReport.Provoked?
        if case .request = plan.step { provoked = DrillReport.Provoked(sent: provokedSent, failures: provokedFailures) }
        var slow: DrillReport.SlowRequest?
        if let path = slowPath {
            slow = DrillReport.SlowRequest(
                path: path, tookMs: slowAnswer.map { $0.tMs - $0.scheduledMs },
                status: slowAnswer?.status, error: slowAnswer?.error,
                fromApp: slowAnswer?.workerPid != nil)
        }
        var deploy: DrillReport.Deploy?
        if let op = plan.operation {
            var cutover: Int?
            // No cutover while the old version still answered in the last quiet time (a deploy
            // that reached only part of the stack).
            if plan.bumpsVersion, let firstNew = firstNewVersionAt,
                (lastOldVersionAt ?? Int.min) < nowMs - plan.scenario.quietMs || recoveredAt != nil
            {
                cutover = max(firstNew, lastOldVersionAt ?? firstNew) - fault
            }
            deploy = DrillReport.Deploy(
                operation: op.operation.rawValue, how: op.how, endedMs: rel(operationEndedAt),
                output: operationOutput, commandFailed: operationFailed,
                versionBefore: versionBefore, versionAfter: plan.bumpsVersion ? targetVersion : nil,
                oldVersionResponses: plan.bumpsVersion ? oldVersionResponses : nil,
                firstNewVersionMs: rel(firstNewVersionAt), cutoverMs: cutover)
        }
        var report = DrillReport(
            scenario: plan.scenario.name, topology: topology, target: plan.targetText,
            detail: plan.detail.isEmpty ? faultDetail : plan.detail, loadRps: loadRps, faultAtMs: fault,
            timeoutMs: plan.scenario.timeoutMs, quietMs: plan.scenario.quietMs,
            resumedMs: faultAtMs == nil ? nil : resumeAt.flatMap { $0 <= nowMs ? $0 - fault : nil },
            exitDetectedMs: rel(exitDetectedAt), replacementSpawnedMs: replaced.map(\.spawnedMs).min(),
            firstServedByReplacementMs: rel(newServed), replacements: replaced, downMs: rel(downAt),
            crashLoopingMs: rel(crashLoopingAt), requests: requests, failures: failures,
            firstFailureMs: rel(firstFailureAt), lastFailureMs: rel(lastFailureAt),
            slowestMs: slowestMs, provoked: provoked, recovered: recoveredAt != nil, recoveredMs: rel(recoveredAt),
            stillWrong: wrong, orphans: orphans, endedMs: nowMs - fault,
            deploy: deploy, seconds: DrillSecond.bins(timeline, faultAtMs: fault))
        report.slowRequest = slow
        return report
    }

    // MARK: - Words

    func isAlive(_ pid: Int32) -> Bool {
        latest.contains { $0.processes.contains { $0.pid == pid } }
    }

    func downText(_ view: ComponentView) -> String {
        if let slot = view.slots.first(where: { $0.isRoot && $0.phase == .gone }) {
            let role = slot.role == .front ? "master" : slot.role.rawValue
            return "\(view.name) is down: its \(role) (pid \(slot.pid)) died and nothing restarted it"
        }
        return "\(view.name) is down"
    }

    static func plural(_ role: ProcessRole, _ n: Int) -> String {
        let word = role == .front ? "front process" : role.rawValue
        return n == 1 ? word : word + (word.hasSuffix("s") ? "es" : "s")
    }
}
