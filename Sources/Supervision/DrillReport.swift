/// How a stack came through one drill: what was measured after the fault, in ms relative to it.
///
/// Every `…Ms` field but `faultAtMs` counts from the fault (the moment the signal went out or the
/// first /crash request was sent); `faultAtMs` counts from the stack's launch, like event `t_ms`.
public struct DrillReport: Sendable, Equatable {
    /// A worker slot (or a supervised component's root) that got a new process after the fault.
    public struct Replacement: Sendable, Equatable {
        public var component: String
        /// `master`, `worker`, `front`, … of the new process.
        public var role: String
        public var oldPid: Int32
        public var newPid: Int32
        /// When the new process started (its /proc start time, 10 ms ticks).
        public var spawnedMs: Int
        /// When the observer placed it (may lag the start: a new child of supervisord or Apache
        /// is held back until it has its own name).
        public var seenMs: Int
        /// When a request was first answered by it (a master or front: by one of its children);
        /// nil when none was, or when the app does not say which worker answered.
        public var firstServedMs: Int?

        public init(
            component: String, role: String, oldPid: Int32, newPid: Int32, spawnedMs: Int, seenMs: Int? = nil,
            firstServedMs: Int?
        ) {
            self.component = component
            self.role = role
            self.oldPid = oldPid
            self.newPid = newPid
            self.spawnedMs = spawnedMs
            self.seenMs = seenMs ?? spawnedMs
            self.firstServedMs = firstServedMs
        }
    }

    /// A process of the stack still alive at the end whose parent died.
    public struct Orphan: Sendable, Equatable {
        public var pid: Int32
        public var component: String
        public var role: String
        public init(pid: Int32, component: String, role: String) {
            self.pid = pid
            self.component = component
            self.role = role
        }
    }

    /// The requests a crash-inside drill sent to make workers die, counted apart from the load.
    public struct Provoked: Sendable, Equatable {
        public var sent: Int
        /// By failure kind ("502", "reset", …); the rest got an answer.
        public var failures: [String: Int]
        public init(sent: Int, failures: [String: Int]) {
            self.sent = sent
            self.failures = failures
        }
    }

    public var scenario: String
    public var topology: String
    /// What was acted on, e.g. `app worker 1 (pid 4242)`.
    public var target: String
    /// The plan's detail: what was done and what to expect.
    public var detail: String
    public var loadRps: Int
    /// The fault, in ms since launch.
    public var faultAtMs: Int
    public var timeoutMs: Int
    public var quietMs: Int
    /// stop-worker: when SIGCONT went out.
    public var resumedMs: Int?
    /// First exit of a targeted process (or of a watched component when no pid was targeted).
    public var exitDetectedMs: Int?
    /// When the first replacement in a watched component started.
    public var replacementSpawnedMs: Int?
    /// First request answered by a process that appeared after the fault in a watched component.
    public var firstServedByReplacementMs: Int?
    public var replacements: [Replacement]
    /// First `down` and first `crash_looping` event of a watched component.
    public var downMs: Int?
    public var crashLoopingMs: Int?
    /// Load requests that completed after the fault, and how many of them failed, by kind:
    /// an HTTP status ("502", "500", "504") or `refused`, `reset`, `timeout`, `overflow`, `other`.
    public var requests: Int
    public var failures: [String: Int]
    /// When the first and the last failed request completed.
    public var firstFailureMs: Int?
    public var lastFailureMs: Int?
    /// The longest a load request took after the fault, from its scheduled time to its end.
    public var slowestMs: Int?
    /// crash-inside only: the /crash requests themselves.
    public var provoked: Provoked?
    public var recovered: Bool
    /// When the recovered state began (confirmed `quietMs` later); nil when not recovered.
    public var recoveredMs: Int?
    /// What is still wrong when not recovered ("app is down: …").
    public var stillWrong: [String]
    public var orphans: [Orphan]
    /// When the report was made.
    public var endedMs: Int
    /// Deploy drills: the operation, and for `deploy` the version cutover.
    public var deploy: Deploy?
    /// The client's traffic second by second, from before the fault to the end (for `--plot`).
    public var seconds: [DrillSecond]
    /// The servers' own log lines that explain failed requests (see `FailureExplanation`).
    public var explanations: [String] = []
    /// slow-request-timeout: the slow request's outcome and which hop gave it.
    public var slowRequest: SlowRequest?
    /// recycle: the recycles and their cost against the window before.
    public var recycle: Recycle?

    /// What a deploy drill did and, for `deploy`, when the new version took over.
    public struct Deploy: Sendable, Equatable {
        /// `reload`, `restart`, `add-worker`, `remove-worker`.
        public var operation: String
        /// How it was done ("SIGHUP to the gunicorn master: …").
        public var how: String
        /// When the command returned (supervisorctl), relative to the fault.
        public var endedMs: Int?
        /// What the command printed (trimmed), if anything.
        public var output: String?
        public var commandFailed: Bool
        /// The app version answered before the fault, and the one the deploy wrote.
        public var versionBefore: Int?
        public var versionAfter: Int?
        /// Answers of another version than `versionAfter` after the fault (deploy only).
        public var oldVersionResponses: Int?
        /// The first answer of the new version, relative to the fault.
        public var firstNewVersionMs: Int?
        /// From the fault until every answer is the new version: the later of the first new
        /// answer and the last old one.
        public var cutoverMs: Int?

        public init(
            operation: String, how: String, endedMs: Int? = nil, output: String? = nil, commandFailed: Bool = false,
            versionBefore: Int? = nil, versionAfter: Int? = nil, oldVersionResponses: Int? = nil,
            firstNewVersionMs: Int? = nil, cutoverMs: Int? = nil
        ) {
            self.operation = operation
            self.how = how
            self.endedMs = endedMs
            self.output = output
            self.commandFailed = commandFailed
            self.versionBefore = versionBefore
            self.versionAfter = versionAfter
            self.oldVersionResponses = oldVersionResponses
            self.firstNewVersionMs = firstNewVersionMs
            self.cutoverMs = cutoverMs
        }
    }

    public init(
        scenario: String, topology: String, target: String, detail: String, loadRps: Int,
        faultAtMs: Int, timeoutMs: Int, quietMs: Int, resumedMs: Int? = nil, exitDetectedMs: Int? = nil,
        replacementSpawnedMs: Int? = nil, firstServedByReplacementMs: Int? = nil,
        replacements: [Replacement] = [], downMs: Int? = nil, crashLoopingMs: Int? = nil,
        requests: Int = 0, failures: [String: Int] = [:], firstFailureMs: Int? = nil,
        lastFailureMs: Int? = nil, slowestMs: Int? = nil, provoked: Provoked? = nil, recovered: Bool,
        recoveredMs: Int? = nil, stillWrong: [String] = [], orphans: [Orphan] = [], endedMs: Int,
        deploy: Deploy? = nil, seconds: [DrillSecond] = []
    ) {
        self.deploy = deploy
        self.seconds = seconds
        self.scenario = scenario
        self.topology = topology
        self.target = target
        self.detail = detail
        self.loadRps = loadRps
        self.faultAtMs = faultAtMs
        self.timeoutMs = timeoutMs
        self.quietMs = quietMs
        self.resumedMs = resumedMs
        self.exitDetectedMs = exitDetectedMs
        self.replacementSpawnedMs = replacementSpawnedMs
        self.firstServedByReplacementMs = firstServedByReplacementMs
        self.replacements = replacements
        self.downMs = downMs
        self.crashLoopingMs = crashLoopingMs
        self.requests = requests
        self.failures = failures
        self.firstFailureMs = firstFailureMs
        self.lastFailureMs = lastFailureMs
        self.slowestMs = slowestMs
        self.provoked = provoked
        self.recovered = recovered
        self.recoveredMs = recoveredMs
        self.stillWrong = stillWrong
        self.orphans = orphans
        self.endedMs = endedMs
    }

    /// Failed load requests, all kinds together.
    public var failedRequests: Int { failures.values.reduce(0, +) }

    /// `lastFailureMs - firstFailureMs`; nil without failures.
    public var failureWindowMs: Int? {
        guard let first = firstFailureMs, let last = lastFailureMs else { return nil }
        return last - first
    }

    /// Failure kinds in display order: statuses ascending, then refused, reset, timeout, overflow, other.
    public static func orderedKinds(_ failures: [String: Int]) -> [(kind: String, count: Int)] {
        func rank(_ k: String) -> (Int, Int, String) {
            if let status = Int(k) { return (0, status, k) }
            return (1, DrillRequest.errorKinds.firstIndex(of: k) ?? DrillRequest.errorKinds.count, k)
        }
        return failures.filter { $0.value > 0 }.sorted { rank($0.key) < rank($1.key) }.map { ($0.key, $0.value) }
    }
}
