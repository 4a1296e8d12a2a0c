/// A failure drill as data: what to break, when, and how long to wait for the stack to recover.
///
/// A drill runs load for `warmupMs`, injects `action` into the running stack, then watches until
/// the stack has recovered (every worker slot serving again and no failed request for `quietMs`)
/// or `timeoutMs` have passed since the fault. Built-in scenarios are in `builtIn`; users add
/// their own as YAML files (see `ScenarioLoader`).
public struct DrillScenario: Sendable, Equatable {
    /// What the drill does to the stack.
    public enum Action: Sendable, Equatable {
        /// One worker of the app server (SIGKILL; TERM for a graceful exit).
        case killWorker(signal: Int32)
        /// Every worker of the app server at once.
        case killAllWorkers(signal: Int32)
        /// The app server's root process (its master).
        case killMaster(signal: Int32)
        /// The front server's root process (refused when the front door is the app server).
        case killFront(signal: Int32)
        /// supervisord itself (refused without supervisord).
        case killSupervisor(signal: Int32)
        /// SIGSTOP one worker, SIGCONT after `seconds`.
        case stopWorker(seconds: Double)
        /// GET /crash `requests` times: the demo app's worker kills itself.
        case crashInside(requests: Int)
        /// The app starts failing to import, then its processes are killed.
        case crashLoop
        /// Graceful reload of the app server (gunicorn HUP, uWSGI FIFO `r`, Apache graceful, …).
        case reloadApp
        /// Graceful reload of the front server (nginx HUP, Apache graceful, lighttpd USR1).
        case reloadFront
        /// Hard restart of the app server, the naive way: `supervisorctl restart`, or stop + start.
        case restartApp
        /// Write the demo app's next version, then reload the app server the way it reloads.
        case deploy
        /// One worker more (gunicorn TTIN, uWSGI FIFO `+`).
        case scaleUp
        /// One worker less (gunicorn TTOU, uWSGI FIFO `-`).
        case scaleDown
        /// One request longer than the app server's own timeout (gunicorn `timeout`), by the
        /// demo app's `/slow?ms=N`: what the client gets, and from which hop.
        case slowRequestTimeout
        /// Turn on worker recycling after a number of requests (gunicorn max_requests with
        /// jitter, uWSGI max-requests, mod_wsgi maximum-requests) with a reload, then measure
        /// what it costs against the window before.
        case recycle

        /// The action's name as scenario files and the command line write it (`kill-worker`, …).
        public var name: String {
            switch self {
            case .killWorker: return "kill-worker"
            case .killAllWorkers: return "kill-all-workers"
            case .killMaster: return "kill-master"
            case .killFront: return "kill-front"
            case .killSupervisor: return "kill-supervisor"
            case .stopWorker: return "stop-worker"
            case .crashInside: return "crash-inside"
            case .crashLoop: return "crash-loop"
            case .reloadApp: return "reload-app"
            case .reloadFront: return "reload-front"
            case .restartApp: return "restart-app"
            case .deploy: return "deploy"
            case .scaleUp: return "scale-up"
            case .scaleDown: return "scale-down"
            case .slowRequestTimeout: return "slow-request-timeout"
            case .recycle: return "recycle"
            }
        }

        /// The operation a deploy action carries out; nil for the failure actions.
        public var operation: ComponentOperation? {
            switch self {
            case .reloadApp, .reloadFront, .deploy, .recycle: return .reload
            case .restartApp: return .restart
            case .scaleUp: return .addWorker
            case .scaleDown: return .removeWorker
            default: return nil
            }
        }

        /// Every action name, in the order of the built-in scenarios.
        public static let names = [
            "kill-worker", "kill-all-workers", "kill-master", "kill-front",
            "kill-supervisor", "stop-worker", "crash-inside", "crash-loop",
            "reload-app", "reload-front", "restart-app", "deploy", "scale-up", "scale-down",
            "slow-request-timeout", "recycle",
        ]

        /// The signal a kill action sends; nil for the others.
        public var signal: Int32? {
            switch self {
            case let .killWorker(s), let .killAllWorkers(s), let .killMaster(s), let .killFront(s),
                let .killSupervisor(s):
                return s
            default:
                return nil
            }
        }

        /// The same action with another signal; nil when the action sends no chosen signal.
        public func with(signal: Int32) -> Action? {
            switch self {
            case .killWorker: return .killWorker(signal: signal)
            case .killAllWorkers: return .killAllWorkers(signal: signal)
            case .killMaster: return .killMaster(signal: signal)
            case .killFront: return .killFront(signal: signal)
            case .killSupervisor: return .killSupervisor(signal: signal)
            default: return nil
            }
        }
    }

    /// kebab-case, unique among built-in and user scenarios.
    public var name: String
    /// One or two sentences: what the drill does and what to look for.
    public var description: String
    public var action: Action
    /// The component to act on; nil = the default for the action (the app server behind the
    /// front door, the front door, the supervisor).
    public var target: String?
    /// How long load runs before the fault (ms).
    public var warmupMs: Int
    /// How long after the fault the stack has to recover (ms).
    public var timeoutMs: Int
    /// How long the client must see no failed request for the stack to count as recovered (ms).
    public var quietMs: Int

    public static let defaultWarmupMs = 3_000
    public static let defaultTimeoutMs = 15_000
    public static let defaultQuietMs = 1_000

    public init(
        name: String, description: String, action: Action, target: String? = nil,
        warmupMs: Int = DrillScenario.defaultWarmupMs, timeoutMs: Int = DrillScenario.defaultTimeoutMs,
        quietMs: Int = DrillScenario.defaultQuietMs
    ) {
        self.name = name
        self.description = description
        self.action = action
        self.target = target
        self.warmupMs = warmupMs
        self.timeoutMs = timeoutMs
        self.quietMs = quietMs
    }

    /// The same scenario sending `signal` instead (`--signal TERM`); nil when it sends no signal.
    public func with(signal: Int32) -> DrillScenario? {
        guard let action = action.with(signal: signal) else { return nil }
        var copy = self
        copy.action = action
        return copy
    }

    /// Whether this is one of the built-in scenarios (by name).
    public var isBuiltIn: Bool { Self.builtIn.contains { $0.name == name } }

    /// The scenarios every stack can be drilled with (where they apply): eight failures, then
    /// the deploy operations.
    public static let builtIn: [DrillScenario] =
        [
            DrillScenario(
                name: "kill-worker",
                description:
                    "SIGKILL one worker of the app server under load. Look for how fast its parent notices and spawns a replacement, when the replacement serves its first request, and how many requests in flight failed (usually 0 or 1).",
                action: .killWorker(signal: DrillSignal.kill)),
            DrillScenario(
                name: "kill-all-workers",
                description:
                    "SIGKILL every worker of the app server at once. Every request fails until the master has respawned them: look for the failure window and whether all slots come back.",
                action: .killAllWorkers(signal: DrillSignal.kill)),
            DrillScenario(
                name: "kill-master",
                description:
                    "SIGKILL the app server's master (for mod_wsgi: Apache's parent process). Without a supervisor the app stays down (orphaned workers may serve a while); with supervisord look for the new master, its new workers and the 502s in between.",
                action: .killMaster(signal: DrillSignal.kill)),
            DrillScenario(
                name: "kill-front",
                description:
                    "SIGKILL the front server's master (nginx, Apache, lighttpd). Its orphaned workers often keep the port and serve: look for few failures from a front that is really down, and under supervisord for new masters that fail to bind again and again.",
                action: .killFront(signal: DrillSignal.kill)),
            DrillScenario(
                name: "kill-supervisor",
                description:
                    "SIGKILL supervisord. The programs it ran keep serving, reparented to init, but nothing will restart them any more: the drill shows zero failures and a stack that is not recovered.",
                action: .killSupervisor(signal: DrillSignal.kill)),
            DrillScenario(
                name: "stop-worker",
                description:
                    "SIGSTOP one worker for 5 s, then SIGCONT. Nothing exits, so no supervisor notices: look for requests stuck on the frozen worker (timeouts or long latency) and for it serving again once continued.",
                action: .stopWorker(seconds: 5)),
            DrillScenario(
                name: "crash-inside",
                description:
                    "GET /crash once: the demo app's worker that takes the request kills itself. The /crash request fails by design; look for the replacement and for collateral failures of other requests.",
                action: .crashInside(requests: 1)),
            DrillScenario(
                name: "crash-loop",
                description:
                    "Make the demo app fail to import, then kill its processes. Every restart dies at import: look for crash_looping or down, the traceback's last line, and a stack that does not recover.",
                action: .crashLoop),
        ] + deployScenarios

}
