import Foundation
import Live
import Runtime
import StackModel
import StackRecipes
import Supervision
import Synchronization
import Traffic

/// Carries out a drill plan's step on a live stack: the checked signals (through
/// `FaultInjector`), the /crash requests, or the crash-loop switch and its kills.
///
/// Signals go out inside `atomically`, which the runner runs under the lock its event feed
/// takes, so the tracker learns of the fault before any event the fault causes.
public struct DrillInjection: Sendable {
    /// What went out.
    public struct Fault: Sendable {
        /// When (ms since launch): after the signals, or as the first /crash left.
        public var atMs: Int
        /// One line: "SIGKILL app worker 1 (pid 4242)".
        public var summary: String
        /// stop-worker: continue the stopped processes this long after the fault.
        public var resumeAfterMs: Int?
    }

    public let live: LiveStack
    public let plan: DrillPlan

    /// Injects the plan's fault. `atomically(body)` must run `body` under the tracker's lock and
    /// pass its result to `faultInjected`; `observe` takes the /crash requests. Throws (with the
    /// reason) when no signal could be delivered; stopped processes and the switch are left to
    /// `cleanups`.
    public func inject(
        components: [ComponentView], cleanups: inout DrillCleanups,
        atomically: (() -> (atMs: Int, detail: String)?) -> Void,
        observe: @escaping @Sendable (DrillRequest) -> Void,
        ended: @escaping @Sendable (Int, String?, Bool) -> Void = { _, _, _ in }
    ) throws(CLIError) -> Fault {
        switch plan.step {
        case let .operate(recipe, pids, _):
            return try operate(recipe, pids: pids, components: components, atomically: atomically, ended: ended)
        case let .signal(signal, pids), let .failImport(signal, pids):
            if case .failImport = plan.step {
                let crashSwitch = CrashLoopSwitch(runDir: live.runDir)
                try crashSwitch.turnOn()
                cleanups.crashSwitch = crashSwitch
            }
            let outcomes = send(signal, to: pids, components: components, atomically: atomically)
            return try fault(outcomes, signal: signal, resumeAfterMs: nil)
        case let .stop(pids, seconds):
            let outcomes = send(DrillSignal.stop, to: pids, components: components, atomically: atomically)
            cleanups.stopped += zip(pids, outcomes).filter { $0.1.delivered }.map {
                (pid: $0.0, component: plan.component)
            }
            return try fault(outcomes, signal: DrillSignal.stop, resumeAfterMs: Int(seconds * 1000))
        case let .request(path, count):
            return try request(path, count: count, atomically: atomically, observe: observe)
        case let .slowRequest(path, clientTimeoutMs):
            return try slowRequest(path, clientTimeoutMs: clientTimeoutMs, atomically: atomically, observe: observe)
        }
    }

    /// Signals every pid (checked one by one) inside `atomically`, then reports the `fault`
    /// events in the stack's stream (outside the lock: the stream comes back to the tracker).
    private func send(
        _ signal: Int32, to pids: [Int32], components: [ComponentView],
        atomically: (() -> (atMs: Int, detail: String)?) -> Void
    ) -> [FaultInjector.Outcome] {
        let injector = FaultInjector(live: live)
        let root = plan.role.map { $0 != .worker && $0 != .helper } ?? false
        var outcomes: [FaultInjector.Outcome] = []
        atomically {
            outcomes = pids.map {
                injector.send(
                    signal, name: DrillSignal.name(signal), to: $0, component: plan.component,
                    root: root, components: components)
            }
            guard let first = outcomes.first(where: \.delivered) else { return nil }
            return (first.event.tMs, plan.detail)
        }
        for o in outcomes { live.emit(o.event) }
        return outcomes
    }

    private func fault(_ outcomes: [FaultInjector.Outcome], signal: Int32, resumeAfterMs: Int?) throws(CLIError)
        -> Fault
    {
        guard let first = outcomes.first(where: \.delivered) else {
            let why = outcomes.compactMap { o -> String? in
                if case let .fault(_, detail) = o.event.kind { return detail }
                return nil
            }
            throw CLIError("no \(DrillSignal.name(signal)) was delivered: \(why.joined(separator: "; "))")
        }
        return Fault(
            atMs: first.event.tMs, summary: "\(DrillSignal.name(signal)) \(plan.targetText)",
            resumeAfterMs: resumeAfterMs)
    }

    /// A deploy drill's operation (see `OperationExecutor`), with the plan's `alsoOperate` (the
    /// other members of a pool) started at the same moment; `ended` is called once, when the
    /// last of them ended, and must not take the tracker's lock.
    private func operate(
        _ recipe: OperationRecipe, pids: [Int32], components: [ComponentView],
        atomically: (() -> (atMs: Int, detail: String)?) -> Void,
        ended: @escaping @Sendable (Int, String?, Bool) -> Void
    ) throws(CLIError) -> Fault {
        let executor = OperationExecutor(live: live)
        let all = [DrillPlan.Operated(recipe: recipe, pids: pids)] + plan.alsoOperate
        let endings = EndingTally(count: all.count, ended: ended)
        var result: Result<[OperationExecutor.Started], CLIError> = .failure(CLIError("the operation was not started"))
        atomically {
            do throws(CLIError) {
                var started: [OperationExecutor.Started] = []
                for op in all {
                    started.append(
                        try executor.start(
                            op.recipe, rootPid: op.pids.first, components: components,
                            ended: { at, output, failed in endings.one(at, output, failed) }))
                }
                result = .success(started)
                return (started[0].atMs, plan.detail)
            } catch {
                result = .failure(error)
                return nil
            }
        }
        let started = try result.get()
        for s in started { live.emit(s.event) }
        let others = plan.alsoOperate.map { " and \($0.recipe.component)" }.joined()
        return Fault(
            atMs: started[0].atMs, summary: "\(recipe.operation.title) of \(recipe.component)\(others): \(recipe.how)",
            resumeAfterMs: nil)
    }

    /// crash-inside: `count` plain requests for `path` to the front door, one after the other.
    private func request(
        _ path: String, count: Int, atomically: (() -> (atMs: Int, detail: String)?) -> Void,
        observe: @escaping @Sendable (DrillRequest) -> Void
    ) throws(CLIError) -> Fault {
        let target: LoopbackTarget
        do { target = try LoopbackTarget(url: live.url) } catch {
            throw CLIError("cannot reach the front door: \(error)")
        }
        let client = LoopbackClient(timeoutMs: 5_000)
        let firstAt = live.stack.clock.elapsedMs
        atomically { (firstAt, plan.detail) }
        live.emit(
            StackEvent(
                tMs: firstAt, .fault(action: "GET \(path)", detail: "\(count) request\(count == 1 ? "" : "s")"),
                component: plan.frontDoor))
        for _ in 0..<count {
            let sent = live.stack.clock.elapsedMs
            let response = client.get(host: target.host, port: target.port, path: path)
            observe(
                DrillRequest(
                    tMs: live.stack.clock.elapsedMs, scheduledMs: sent, status: response?.status,
                    error: response == nil ? "other" : nil,
                    workerPid: response?.headers["x-worker-pid"].flatMap { Int32($0) }, path: path))
        }
        return Fault(atMs: firstAt, summary: "GET \(path) ×\(count) to \(plan.frontDoor)", resumeAfterMs: nil)
    }

    /// slow-request-timeout: one request for `path` on its own thread (the drill watches the
    /// stack meanwhile); its end goes to `observe` when it comes, at most `clientTimeoutMs` later.
    private func slowRequest(
        _ path: String, clientTimeoutMs: Int,
        atomically: (() -> (atMs: Int, detail: String)?) -> Void,
        observe: @escaping @Sendable (DrillRequest) -> Void
    ) throws(CLIError) -> Fault {
        let target: LoopbackTarget
        do { target = try LoopbackTarget(url: live.url) } catch {
            throw CLIError("cannot reach the front door: \(error)")
        }
        let (host, port) = (target.host, target.port)
        let clock = live.stack.clock
        let sent = clock.elapsedMs
        atomically { (sent, plan.detail) }
        live.emit(
            StackEvent(
                tMs: sent, .fault(action: "GET \(path)", detail: "1 request past the app server's timeout"),
                component: plan.frontDoor))
        let thread = Thread {
            let response = LoopbackClient(timeoutMs: clientTimeoutMs).get(host: host, port: port, path: path)
            observe(
                DrillRequest(
                    tMs: clock.elapsedMs, scheduledMs: sent, status: response?.status,
                    error: response == nil ? "other" : nil,
                    workerPid: response?.headers["x-worker-pid"].flatMap { Int32($0) }, path: path))
        }
        thread.name = "stacktop-slow-request"
        thread.start()
        return Fault(
            atMs: sent, summary: "GET \(path) to \(plan.frontDoor) (its answer is awaited in the background)",
            resumeAfterMs: nil)
    }
}

/// Calls `ended` once, when all `count` operations of a deploy drill have ended: at the last
/// end, with every output and whether any failed.
public final class EndingTally: Sendable {
    private struct State: Sendable {
        var left: Int
        var outputs: [String] = []
        var failed = false
    }

    private let state: Mutex<State>
    private let ended: @Sendable (Int, String?, Bool) -> Void

    public init(count: Int, ended: @escaping @Sendable (Int, String?, Bool) -> Void) {
        state = Mutex(State(left: count))
        self.ended = ended
    }

    public func one(_ atMs: Int, _ output: String?, _ failed: Bool) {
        let last = state.withLock { s -> State? in
            s.left -= 1
            if let output { s.outputs.append(output) }
            s.failed = s.failed || failed
            return s.left == 0 ? s : nil
        }
        guard let last else { return }
        ended(atMs, last.outputs.isEmpty ? nil : last.outputs.joined(separator: "; "), last.failed)
    }
}
