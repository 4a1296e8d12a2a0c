import StackModel
import StackRecipes

/// Follows one drill from the fault to recovery (or the timeout) and makes its report.
///
/// Pure: every input carries its time (ms since launch, the stack's clock). Feed it the fault,
/// every event and client request of the stack, and a component snapshot at least 10 times a
/// second; `report` turns non-nil once the stack recovered (and stayed so for the scenario's
/// `quietMs`) or the timeout passed with no recovery in sight.
///
/// Recovered means: every watched component is not down and has, for each role, at least as many
/// live, non-orphaned processes as before the fault (none crash-looping); every process that
/// appeared since the fault (a worker, or a single-process server) has answered a request, when
/// the app says which worker answered (X-Worker-Pid was seen for the component); a stopped
/// worker has answered again after SIGCONT; a process sent SIGKILL is gone; the front door
/// answered; and no load request failed since. `recoveredMs` is when that state began.
public struct DrillTracker: Sendable {
    let plan: DrillPlan
    let topology: String
    let loadRps: Int
    let watched: Set<String>
    /// Live, non-orphaned processes per watched component and role before the fault.
    let expected: [String: [ProcessRole: Int]]
    /// Every pid seen before the fault, with its component.
    let beforePids: [Int32: String]
    /// How much earlier than the fault an event delivered after it may be stamped.
    static let faultSlackMs = 100
    /// Deploy drills: an answer slower than this means the server stalled (a reload waiting for
    /// its workers); the stack has settled only after the stall.
    public static let stallMs = 500
    var lastStallAt: Int?
    /// Deploy drills: the last answer of the quiet time may come this much before its end.
    static let answeringSlackMs = 250
    /// Confirmation waits this long beyond `quietMs` for late-reported requests.
    public static let confirmGraceMs = 100

    var faultAtMs: Int?
    var faultDetail = ""
    var resumedAtMs: Int?
    var pidComponent: [Int32: String]
    var pidParent: [Int32: Int32] = [:]
    var attributed: Set<String> = []
    /// First answer of each pid after the fault, and (stop-worker) after SIGCONT.
    var firstServed: [Int32: Int] = [:]
    var servedAfterResume: [Int32: Int] = [:]
    var spawnedAfterFault: [Int32: Int] = [:]
    var exitedAfterFault: [Int32: Int] = [:]
    var orphanedPids: Set<Int32> = []
    var exitDetectedAt: Int?
    var replacements: [(component: String, role: ProcessRole?, old: Int32, new: Int32, at: Int)] = []
    var downAt: Int?
    var crashLoopingAt: Int?
    var requests = 0
    var failures: [String: Int] = [:]
    var firstFailureAt: Int?
    var lastFailureAt: Int?
    /// Completion times of the failures of the last two seconds or so (for "failed in the last
    /// second"); trimmed as it grows, so a drill at 10,000 requests/s stays cheap.
    var recentFailures: [Int] = []
    var recentHead = 0
    var lastSuccessAt: Int?
    var slowestMs: Int?
    var lastRequestAt: Int?
    var provokedSent = 0
    var provokedFailures: [String: Int] = [:]
    /// slow-request-timeout: the slow request's end, once it came.
    var slowAnswer: DrillRequest?
    var latest: [ComponentView]
    /// /proc start times (clock ticks since boot) by pid, and the best known offset from ticks
    /// to the stack clock: the least `firstSeenMs - ticks × 10` of any process seen.
    var startTicks: [Int32: UInt64] = [:]
    var tickOffsetMs: Int?
    /// Since when the processes look whole (nil: they do not now).
    var structureOkSince: Int?
    var lastStructureBadAt: Int?
    var nowMs = 0
    /// Every load request seen (before and after the fault), for the per-second timeline.
    var timeline: [DrillRequest] = []
    static let timelineCap = 500_000
    /// Deploy drills: the operation's end (a supervisorctl command returns late) and what it said.
    var operationEndedAt: Int?
    var operationOutput: String?
    var operationFailed = false
    /// Workers of each watched component at the fault (a reload must replace them all).
    var workersAtFault: [String: Set<Int32>] = [:]
    var rootsAtFault: [String: Int32] = [:]
    /// The app version answered last before the fault, and the one a deploy wrote.
    var versionBefore: Int?
    var targetVersion: Int?
    var oldVersionResponses = 0
    var lastOldVersionAt: Int?
    var firstNewVersionAt: Int?
    public private(set) var report: DrillReport?

    /// `before`: the components right before the fault (the snapshot the plan was resolved on).
    public init(plan: DrillPlan, topology: String, loadRps: Int, before: [ComponentView]) {
        self.plan = plan
        self.topology = topology
        self.loadRps = loadRps
        self.watched = Set(plan.watched)
        var expected: [String: [ProcessRole: Int]] = [:]
        var pids: [Int32: String] = [:]
        for view in before {
            for p in view.processes {
                pids[p.pid] = view.name
            }
            guard plan.watched.contains(view.name) else { continue }
            for p in view.processes where !p.orphaned && Self.isLive(p.phase) {
                expected[view.name, default: [:]][p.role, default: 0] += 1
            }
        }
        for name in plan.watched where expected[name] == nil { expected[name] = [:] }
        if plan.workerDelta != 0 {
            expected[plan.component, default: [:]][.worker, default: 0] += plan.workerDelta
        }
        self.expected = expected
        for view in before where plan.watched.contains(view.name) {
            let live = view.processes.filter { !$0.orphaned && Self.isLive($0.phase) }
            workersAtFault[view.name] = Set(live.filter { $0.role == .worker }.map(\.pid))
            if let root = live.filter({ $0.depth == 0 && $0.role != .worker }).min(by: {
                $0.firstSeenMs < $1.firstSeenMs
            }) {
                rootsAtFault[view.name] = root.pid
            }
        }
        self.beforePids = pids
        self.pidComponent = pids
        for view in before { for p in view.processes { pidParent[p.pid] = p.ppid } }
        self.latest = before
        learnStartTimes(before)
    }

    /// The fault went out at `atMs` (after the signals were sent, or as the first /crash left).
    public mutating func faultInjected(atMs: Int, detail: String) {
        guard faultAtMs == nil else { return }
        faultAtMs = atMs
        faultDetail = detail
        nowMs = max(nowMs, atMs)
        structureOkSince = nil
        lastStructureBadAt = atMs
    }

    /// stop-worker: SIGCONT went out at `atMs`. Without this call the tracker assumes it went
    /// out exactly the scenario's seconds after the fault.
    public mutating func faultCleared(atMs: Int) {
        resumedAtMs = atMs
        nowMs = max(nowMs, atMs)
        evaluate()
    }

    /// Every event of the stack, in order.
    public mutating func observe(_ event: StackEvent) {
        guard report == nil else { return }
        nowMs = max(nowMs, event.tMs)
        if let pid = event.pid, let component = event.component { pidComponent[pid] = pidComponent[pid] ?? component }
        // The fault's time is read after kill() returns, so an exit it caused may be stamped a
        // moment earlier: events that arrive after the fault count from it, at the fault at the
        // earliest.
        guard let fault = faultAtMs, event.tMs >= fault - Self.faultSlackMs else { return }
        let t = max(event.tMs, fault)
        let isWatched = event.component.map(watched.contains) ?? false
        switch event.kind {
        case let .spawned(ppid):
            if let pid = event.pid {
                if let ppid { pidParent[pid] = ppid }
                if let c = event.component { pidComponent[pid] = c }
                if isWatched { spawnedAfterFault[pid] = spawnedAfterFault[pid] ?? t }
            }
        case .exited:
            guard let pid = event.pid else { break }
            exitedAfterFault[pid] = exitedAfterFault[pid] ?? t
            let targeted = plan.pids.isEmpty ? isWatched : plan.pids.contains(pid)
            if targeted && exitDetectedAt == nil { exitDetectedAt = t }
            if isWatched && !orphanedPids.contains(pid) { structureBroke(at: t) }
        case let .replaced(oldPid, newPid, _):
            guard isWatched, let c = event.component else { break }
            replacements.append((c, event.role, oldPid, newPid, t))
            spawnedAfterFault[newPid] = spawnedAfterFault[newPid] ?? t
        case .crashLooping:
            guard isWatched else { break }
            if crashLoopingAt == nil { crashLoopingAt = t }
            structureBroke(at: t)
        case .down:
            guard isWatched else { break }
            if downAt == nil { downAt = t }
            structureBroke(at: t)
        case .orphaned:
            if let pid = event.pid { orphanedPids.insert(pid) }
        default:
            break
        }
        evaluate()
    }

    /// deploy: the version the drill wrote (the one every answer should carry in the end).
    public mutating func deploying(version: Int) {
        targetVersion = version
    }

    /// A deploy drill's command ended at `atMs` (supervisorctl returned; a signal or FIFO write
    /// ends at once); `output` is what it printed, `failed` when it exited non-zero.
    public mutating func operationEnded(atMs: Int, output: String?, failed: Bool) {
        operationEndedAt = atMs
        operationOutput = output
        operationFailed = failed
        nowMs = max(nowMs, atMs)
        evaluate()
    }

    /// Every client request: the load generator's, and (crash-inside) the /crash requests.
    public mutating func observe(_ request: DrillRequest) {
        guard report == nil else { return }
        nowMs = max(nowMs, request.tMs)
        if timeline.count < Self.timelineCap { timeline.append(request) }
        noteVersion(request)
        if let pid = request.workerPid, let c = pidComponent[pid], watched.contains(c) { attributed.insert(c) }
        // Like events: a request that ends because of the fault may be stamped just before it.
        guard let fault = faultAtMs, request.tMs >= fault - Self.faultSlackMs else { return }
        let t = max(request.tMs, fault)
        if let slow = slowPath, request.path == slow {
            slowAnswer = request
            evaluate()
            return
        }
        if request.isCrashRequest {
            provokedSent += 1
            if let kind = request.failureKind { provokedFailures[kind, default: 0] += 1 }
            return
        }
        if request.error == "cancelled" { return }
        requests += 1
        lastRequestAt = max(lastRequestAt ?? t, t)
        slowestMs = max(slowestMs ?? 0, request.tMs - request.scheduledMs)
        if plan.operation != nil, request.tMs - request.scheduledMs > Self.stallMs {
            lastStallAt = max(lastStallAt ?? t, t)
        }
        if let pid = request.workerPid {
            if firstServed[pid] == nil { firstServed[pid] = t }
            if request.tMs >= resumeAt ?? Int.max, servedAfterResume[pid] == nil { servedAfterResume[pid] = t }
            if pidComponent[pid] == nil, let c = guessComponent(of: pid) { pidComponent[pid] = c }
            if let c = pidComponent[pid], watched.contains(c) { attributed.insert(c) }
        }
        if let kind = request.failureKind {
            failures[kind, default: 0] += 1
            firstFailureAt = min(firstFailureAt ?? t, t)
            lastFailureAt = max(lastFailureAt ?? t, t)
            recentFailures.append(t)
            while recentHead < recentFailures.count, recentFailures[recentHead] < nowMs - 2_000 { recentHead += 1 }
            if recentHead > 1_024, recentHead * 2 > recentFailures.count {
                recentFailures.removeFirst(recentHead)
                recentHead = 0
            }
        } else {
            lastSuccessAt = max(lastSuccessAt ?? t, t)
        }
        evaluate()
    }

    /// A snapshot of every component (`StackObserver.components`) at `nowMs`.
    public mutating func observe(components: [ComponentView], nowMs: Int) {
        guard report == nil else { return }
        self.nowMs = max(self.nowMs, nowMs)
        latest = components
        learnStartTimes(components)
        for view in components {
            for p in view.processes {
                pidComponent[p.pid] = view.name
                pidParent[p.pid] = pidParent[p.pid] ?? p.ppid
                if p.orphaned { orphanedPids.insert(p.pid) }
            }
        }
        guard faultAtMs != nil else { return }
        let judgement = judge()
        if judgement.wrong.isEmpty {
            if structureOkSince == nil {
                structureOkSince = max(lastStructureBadAt ?? faultAtMs ?? nowMs, judgement.newestArrivalMs ?? Int.min)
            }
        } else {
            structureBroke(at: nowMs)
        }
        evaluate()
    }

    /// The time by which the runner should call again (a confirmation or the timeout is due).
    public var deadlineMs: Int? {
        guard report == nil, let fault = faultAtMs else { return nil }
        if let start = candidateStart() { return start + plan.scenario.quietMs + Self.confirmGraceMs }
        return fault + plan.scenario.timeoutMs
    }

    /// A forced end (timeout, ^C): the report as far as it is known at `nowMs`.
    public func finish(nowMs: Int) -> DrillReport {
        if let report { return report }
        var copy = self
        copy.nowMs = max(copy.nowMs, nowMs)
        copy.evaluate()
        if let report = copy.report { return report }
        return copy.makeReport(recoveredAt: nil, forced: true)
    }

    // MARK: - Progress

    /// When SIGCONT went out (stop-worker); nil for other scenarios or before the fault.
    var resumeAt: Int? {
        guard case let .stop(_, seconds) = plan.step, let fault = faultAtMs else { return nil }
        return resumedAtMs ?? fault + Int(seconds * 1000)
    }

    mutating func structureBroke(at t: Int) {
        structureOkSince = nil
        lastStructureBadAt = max(lastStructureBadAt ?? t, t)
    }

    /// Confirms recovery, or gives up at the timeout.
    mutating func evaluate() {
        guard report == nil, let fault = faultAtMs else { return }
        let deadline = fault + plan.scenario.timeoutMs
        if let start = candidateStart() {
            // An operation may stall the server with nothing failing (lighttpd's graceful
            // restart waits for its connections): it has settled only once answers kept coming.
            let answering =
                plan.operation == nil
                || (lastSuccessAt ?? Int.min) >= start + plan.scenario.quietMs - Self.answeringSlackMs
            if answering && nowMs >= start + plan.scenario.quietMs + Self.confirmGraceMs {
                report = makeReport(recoveredAt: start, forced: false)
                return
            }
            if start <= deadline { return }
        }
        if nowMs >= deadline { report = makeReport(recoveredAt: nil, forced: false) }
    }

    static func isLive(_ phase: SlotPhase) -> Bool {
        phase == .starting || phase == .restarting || phase == .up
    }

    /// Remembers each process's kernel start time and tightens the ticks-to-clock offset.
    mutating func learnStartTimes(_ views: [ComponentView]) {
        for view in views {
            for p in view.processes where startTicks[p.pid] != p.startTime {
                startTicks[p.pid] = p.startTime
                let offset = p.firstSeenMs - Int(p.startTime) * Self.msPerTick
                tickOffsetMs = min(tickOffsetMs ?? offset, offset)
            }
        }
    }

    /// /proc start times count clock ticks of 10 ms (USER_HZ is 100 on Linux).
    static let msPerTick = 10

    /// When `pid` started by its kernel start time on the stack clock, never after `seenMs`
    /// (when the observer placed it) nor before `notBefore`; `seenMs` when its start is unknown.
    /// The observer may place a process late (a child of supervisord or Apache is held back
    /// until it has its own name): the kernel's start time is the truth.
    func startedMs(_ pid: Int32, seenMs: Int, notBefore: Int) -> Int {
        guard let ticks = startTicks[pid], let offset = tickOffsetMs else { return seenMs }
        return min(seenMs, max(notBefore, Int(ticks) * Self.msPerTick + offset))
    }

    /// Keeps the last version before the fault and, for a deploy, old answers after it.
    mutating func noteVersion(_ request: DrillRequest) {
        guard let v = request.appVersion.map(Int.init) else { return }
        guard let fault = faultAtMs, request.tMs >= fault else {
            versionBefore = v
            return
        }
        guard let target = targetVersion else { return }
        if v == target {
            firstNewVersionAt = min(firstNewVersionAt ?? request.tMs, request.tMs)
        } else {
            oldVersionResponses += 1
            lastOldVersionAt = max(lastOldVersionAt ?? request.tMs, request.tMs)
        }
    }

    /// slow-request-timeout: the path of the one slow request (kept apart from the load's).
    var slowPath: String? {
        if case let .slowRequest(path, _) = plan.step { return path }
        return nil
    }

    /// A pid first seen in a request before any snapshot: its parent's component, if known.
    func guessComponent(of pid: Int32) -> String? {
        pidParent[pid].flatMap { pidComponent[$0] }
    }
}
